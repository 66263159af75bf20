import { formatInstant } from "../format";
import type { EffectivePlan } from "../types";

const STAGE_WORDS: Record<string, string> = {
  ok: "paid up",
  grace: "past due, in grace: everything works",
  throttle: "past due, throttled: metered features at their reduced rate",
  suspend: "past due, suspended: every feature refused",
  blocked: "uncollectible: blocked",
};

/** The contract in force: its subscription and period, and where its payment stands (dunning). */
export function ContractSummary({ plan }: { plan: EffectivePlan }) {
  const { subscription, payment } = plan;
  if (!subscription) return <p className="hint">No subscription in force.</p>;
  return (
    <dl className="summary">
      <dt>Subscription</dt>
      <dd>
        {subscription.id} · {subscription.status}
      </dd>
      <dt>Current period</dt>
      <dd>
        {formatInstant(subscription.periodStart)} → {formatInstant(subscription.periodEnd)}
      </dd>
      <dt>Dunning</dt>
      <dd data-testid="dunning" className={payment.stage === "ok" ? undefined : "warning"}>
        <strong>{payment.stage}</strong> ({STAGE_WORDS[payment.stage] ?? payment.stage})
        {payment.pastDueSince && <> · past due since {formatInstant(payment.pastDueSince)}</>}
        {payment.nextStageAt && <> · next stage at {formatInstant(payment.nextStageAt)}</>}
      </dd>
    </dl>
  );
}
