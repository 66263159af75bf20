import type { FieldChange } from "@tollgate/core";
import type { AffectedCustomer, CatalogChanges } from "@tollgate/engine";

const show = (value: unknown) => (value === undefined ? "(absent)" : JSON.stringify(value));
const changeLine = (c: FieldChange) => `${c.path}: ${show(c.before)} → ${show(c.after)}`;

function customerLine(c: AffectedCustomer): string {
  const who = `${c.env}/${c.customerId}`;
  const on = `${c.planKey} v${c.version}`;
  const at = c.at ? c.at.toISOString() : "now";
  switch (c.effect) {
    case "keeps_version":
      return `${who}: keeps ${on} (pinned)${c.at ? `, from ${at}` : ""}`;
    case "keeps_archived_plan":
      return `${who}: keeps ${on} (archived: no new assignments)${c.at ? `, from ${at}` : ""}`;
    case "trial_falls_back_to_new_version":
      return `${who}: MOVES to v${c.toVersion} when the trial of ${on} ends at ${at}`;
    case "trial_falls_back_to_archived_plan":
      return `${who}: falls back to the archived plan when the trial of ${on} ends at ${at}`;
  }
}

/** The diff as a reviewer reads it: one line per change, the fields before and after, who is touched. */
export function catalogReport(changes: CatalogChanges): string {
  const lines: string[] = [];
  const { features, plans } = changes;
  for (const f of features.added) lines.push(`+ feature ${f.key}: ${f.after.name} (${f.after.type})`);
  for (const f of features.changed) {
    lines.push(`~ feature ${f.key}`, ...f.changes.map((c) => `    ${changeLine(c)}`));
  }
  for (const p of plans.added) lines.push(`+ plan ${p.key}: publishes v1`);
  for (const p of plans.changed) {
    lines.push(`~ plan ${p.key}: publishes v${p.toVersion} (newest now v${p.fromVersion})`);
    lines.push(...p.changes.map((c) => `    ${changeLine(c)}`));
    lines.push(...p.customers.map((c) => `    customer ${customerLine(c)}`));
  }
  for (const p of plans.archived) {
    lines.push(`- plan ${p.key}: archived`);
    lines.push(...p.customers.map((c) => `    customer ${customerLine(c)}`));
    for (const domain of p.provisioningRules) {
      lines.push(`    provisioning rule ${domain} assigns it: new sign-ups there will be refused`);
    }
  }
  if (features.unlisted.length > 0) {
    lines.push(`  kept, not in the file (a feature is never removed): ${features.unlisted.join(", ")}`);
  }
  if (changes.empty) return [...lines, "no changes"].join("\n");
  const touched = [...plans.changed, ...plans.archived].flatMap((p) => p.customers);
  const moving = touched.filter((c) => c.effect === "trial_falls_back_to_new_version").length;
  lines.push("", `${moving} customer(s) move; ${touched.length - moving} keep what they have.`, changes.note);
  return lines.join("\n");
}
