import { formatSeatPrice } from "@tollgate/core/display";
import type { EffectivePlan, Entitlement, Source } from "../types";

const sources = (list: Source[] | undefined) => (list ?? []).map((s) => s.label).join(", ");

function describeValue(e: Entitlement): string {
  if (e.type === "config") return JSON.stringify(e.value);
  if (e.type === "boolean") return e.enabled ? "enabled" : "disabled";
  if (!e.enabled) return "disabled";
  return e.unlimited ? `unlimited (${e.used} used)` : `${e.used} / ${e.limit}, ${e.enforcement}`;
}

/** The plan in force and, for each feature, its value and the rows each part of it came from. */
export function EffectivePlanView({ plan }: { plan: EffectivePlan }) {
  return (
    <>
      <h2>Effective plan</h2>
      <p>
        {plan.plan ? (
          <>
            <strong>{plan.plan.label}</strong> ({plan.plan.key} v{plan.plan.version}, {plan.plan.kind}
            {plan.plan.custom && plan.plan.kind !== "custom" ? ", custom" : ""})
          </>
        ) : (
          "no plan"
        )}
        {plan.seats && (
          <>
            {" · "}seats {plan.seats.used} / {plan.seats.unlimited ? "unlimited" : plan.seats.limit}
            {plan.plan && plan.seats.price > 0 && ` (${formatSeatPrice(plan.seats, plan.plan)})`}
          </>
        )}
        {plan.credits && (
          <>
            {" · "}credits {plan.credits.unlimited ? "unlimited" : plan.credits.balance}
          </>
        )}
      </p>
      <table>
        <thead>
          <tr>
            <th>Feature</th>
            <th>Value</th>
            <th>Source</th>
            <th>Explained</th>
          </tr>
        </thead>
        <tbody>
          {plan.entitlements.map((e) => (
            <tr key={e.feature}>
              <td>{e.feature}</td>
              <td>{describeValue(e)}</td>
              <td>{e.source?.label ?? "—"}</td>
              <td className="explain">
                {Object.entries(e.explain ?? {}).map(([part, list]) => (
                  <div key={part}>
                    {part}: {sources(list)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
