import type { EffectivePlan, Source } from "@tollgate/core";
import type { CustomerRef, Engine, EntitlementsView } from "@tollgate/engine";
import { toApiCustomerWithSubscription } from "@tollgate/server";
import { formatTable } from "./format";
import { EXIT, type Io, writeLine } from "./io";

export interface CustomersShowOptions {
  explain: boolean;
  at?: Date | undefined;
  json: boolean;
}

type CustomerSummary = ReturnType<typeof toApiCustomerWithSubscription>;

/**
 * `tollgate customers show <id>`: the customer, its subscription and the effective plan (as
 * `GET /v1/customers/:id` and `GET /v1/customers/:id/entitlements` answer them); with
 * `--explain`, each value with the rows it came from, in the order they were applied.
 */
export async function customersShow(
  engine: Engine,
  ref: CustomerRef,
  options: CustomersShowOptions,
  io: Io,
): Promise<number> {
  const resolved = await engine.entitlements.resolved(ref, options.at);
  const customer = toApiCustomerWithSubscription(resolved);
  const entitlements = await engine.entitlements.get(ref, { at: options.at, explain: options.explain });
  if (options.json) writeLine(io.stdout, JSON.stringify({ ...customer, entitlements }, null, 2));
  else writeLine(io.stdout, formatCustomer(customer, entitlements, resolved.effective));
  return EXIT.ok;
}

function formatCustomer(
  customer: CustomerSummary,
  view: EntitlementsView,
  effective: EffectivePlan | null,
): string {
  const who = [
    customer.name,
    customer.email && `<${customer.email}>${customer.emailVerified ? " (verified)" : ""}`,
  ]
    .filter(Boolean)
    .join(" ");
  const lines = [
    `customer ${customer.env}/${customer.id}${who ? `: ${who}` : ""}`,
    `created ${customer.createdAt}; workspaces: ${customer.workspaceIds.join(", ") || "none"}` +
      (customer.providerCustomerId ? `; payment provider customer ${customer.providerCustomerId}` : ""),
  ];
  const { plan, subscription, seats, credits } = view;
  if (!plan || !subscription || !effective) {
    lines.push(`no plan in force at ${view.at}`);
    return lines.join("\n");
  }
  lines.push(
    `plan ${plan.label} (${plan.key} v${plan.version}, ${plan.kind}${plan.custom ? ", custom" : ""}); ` +
      `subscription ${subscription.id} ${subscription.status}, period ${subscription.periodStart} → ${subscription.periodEnd}`,
    [
      `payment ${view.payment.stage}`,
      seats && `seats ${seats.used} of ${seats.unlimited ? "unlimited" : seats.limit}`,
      credits &&
        (credits.unlimited
          ? "credits unlimited"
          : `credits ${credits.perSeat} per seat at ${credits.price}, balance ${credits.balance}`),
    ]
      .filter(Boolean)
      .join("; "),
    "",
    `entitlements at ${view.at}`,
    formatTable(
      [
        ["feature", "type", "enabled", "limit", "used", "remaining", "enforcement", "value", "source"],
        ...view.entitlements.map((e) => [
          e.feature,
          e.type,
          e.enabled ? "yes" : "no",
          e.unlimited ? "unlimited" : formatValue(e.limit),
          e.type === "metered" ? String(e.used) : "",
          e.type === "metered" && !e.unlimited ? formatValue(e.remaining) : "",
          e.enforcement,
          e.value === null ? "" : formatValue(e.value),
          e.source.label,
        ]),
      ],
      ["left", "left", "left", "right", "right", "right", "left", "left", "left"],
    ),
  );
  if (view.explain) lines.push("", ...formatExplain(view.explain, effective));
  return lines.join("\n");
}

/** Every value with the rows it came from, in the order applied: the last one has the last word. */
function formatExplain(explain: NonNullable<EntitlementsView["explain"]>, effective: EffectivePlan) {
  const plan = { ...effective, label: effective.plan.label };
  const rows = [
    ["feature", "field", "value", "from (in the order applied)"],
    ...explainRows("(plan)", explain.plan, (field) => valueAt(plan, field)),
    ...Object.values(effective.entitlements)
      .sort((a, b) => a.feature.localeCompare(b.feature))
      .flatMap((e) => explainRows(e.feature, e.explain, (field) => valueAt(e, field))),
  ];
  return [
    "why: each value and the rows it came from",
    formatTable(rows),
    ...explain.notes.map((n) => `note: ${n}`),
  ];
}

function explainRows(
  feature: string,
  explain: Record<string, Source[]>,
  value: (field: string) => unknown,
): string[][] {
  return Object.entries(explain).map(([field, sources]) => [
    feature,
    field,
    formatValue(value(field)),
    sources.map((s) => s.label).join(" → "),
  ]);
}

/** `seats.limit` of an object; undefined when the view does not carry that field. */
function valueAt(object: object, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "none";
  return typeof value === "string" ? value : JSON.stringify(value);
}
