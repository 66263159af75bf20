import { type FormEvent, useState } from "react";
import { callApi, errorMessage } from "../api";
import { parseObject, pretty } from "../json";
import type { Session } from "../session";
import type { PlanVersion, PlanWithLatest } from "../types";
import { useReasonedAction } from "../useAction";
import { DiffTable } from "./DiffTable";
import { type AssignAnswer, describeAssignment } from "./PlanChangeForm";
import { ReasonAndSubmit } from "./ReasonAndSubmit";

/** A version's terms as a new plan's body takes them: without its identity, name or publication. */
function termsOf(version: PlanVersion | null | undefined): Record<string, unknown> {
  if (!version) return { kind: "custom" };
  const { id, planKey, version: _n, publishedAt, name, ...terms } = version;
  return { ...terms, kind: "custom" };
}

/**
 * Creates a plan that belongs to this customer (POST /v1/admin/plans with `custom: true`),
 * starting from another plan's latest terms and showing what differs from them, and assigns it.
 */
export function CustomPlanForm(props: {
  session: Session;
  customerId: string;
  plans: PlanWithLatest[];
  startFrom: string | undefined;
  onCreated: () => void;
}) {
  const baseOf = (key: string | undefined) => props.plans.find((p) => p.key === key) ?? props.plans[0];
  const [baseKey, setBaseKey] = useState(baseOf(props.startFrom)?.key ?? "");
  const [text, setText] = useState(() => pretty(termsOf(baseOf(props.startFrom)?.latestVersion)));
  const [key, setKey] = useState(`${props.customerId.toLowerCase().replace(/[^a-z0-9_.-]/g, "_")}_custom`);
  const [name, setName] = useState(`${props.customerId} custom`);
  const [assign, setAssign] = useState(true);
  const { reason, busy, run, field } = useReasonedAction();

  const base = baseOf(baseKey);
  const parsed = parseObject(text);
  const startFrom = (next: string) => {
    setBaseKey(next);
    setText(pretty(termsOf(baseOf(next)?.latestVersion)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ("error" in parsed) return;
    run(async () => {
      const body = { ...parsed.value, key, name, custom: true, customerId: props.customerId, reason };
      const created = await callApi<{ version: { version: number } }>(
        props.session.key,
        "POST",
        "/v1/admin/plans",
        body,
      );
      const made = `Created ${key} v${created.version.version}`;
      if (!assign) {
        props.onCreated();
        return `${made}.`;
      }
      // Two audited changes: when the second fails, say that the first stands.
      const assigned = await callApi<AssignAnswer>(
        props.session.key,
        "PUT",
        `/v1/admin/customers/${encodeURIComponent(props.customerId)}/subscription`,
        { planKey: key, reason },
      ).catch((failure: unknown) => `${made}, but assigning it failed: ${errorMessage(failure)}`);
      // One reload, after both changes (each reload fetches the entitlements, audit and plans).
      props.onCreated();
      if (typeof assigned === "string") return assigned;
      return `${made} and assigned it (${describeAssignment(assigned)}).`;
    });
  };

  return (
    <form onSubmit={submit} aria-label="Create custom plan">
      <h2>Create custom plan</h2>
      <div className="fields">
        <label>
          Start from
          <select name="startFrom" value={baseKey} onChange={(e) => startFrom(e.target.value)}>
            {props.plans.map((plan) => (
              <option key={plan.key} value={plan.key}>
                {plan.key} v{plan.latestVersion?.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Plan key
          <input name="planKey" value={key} onChange={(e) => setKey(e.target.value)} required />
        </label>
        <label>
          Name
          <input name="planName" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
      </div>
      <label>
        Terms (JSON)
        <textarea name="terms" rows={12} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="label">
        Changes from {base ? `${base.key} v${base.latestVersion?.version}` : "nothing"}
      </div>
      {"error" in parsed ? (
        <p className="error">invalid JSON: {parsed.error}</p>
      ) : (
        <DiffTable
          before={termsOf(base?.latestVersion)}
          after={parsed.value}
          labels={[base?.key ?? "", key]}
        />
      )}
      <label className="inline">
        <input type="checkbox" checked={assign} onChange={(e) => setAssign(e.target.checked)} />
        Assign it to {props.customerId} now
      </label>
      <ReasonAndSubmit
        name="customPlanReason"
        submit="Create custom plan"
        {...field}
        disabled={"error" in parsed || busy}
      />
    </form>
  );
}
