import { formatMinorUnits } from "@tollgate/core/display";
import { useState } from "react";
import { messageOf, startUpgrade } from "../api";
import type { UpgradePlan } from "../types";

/** The upgrade buttons: each opens the payment provider's hosted checkout for one plan. */
export function UpgradeOffers({ token, plans }: { token: string; plans: UpgradePlan[] }) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const upgrade = async (planKey: string) => {
    setPending(planKey);
    setError(null);
    try {
      const { url } = await startUpgrade(token, planKey);
      window.location.assign(url);
    } catch (e) {
      setError(messageOf(e));
      setPending(null);
    }
  };

  return (
    <section aria-labelledby="upgrade-heading">
      <h2 id="upgrade-heading">Upgrade</h2>
      <ul className="offers">
        {plans.map((plan) => (
          <li key={plan.key}>
            <button type="button" disabled={pending !== null} onClick={() => upgrade(plan.key)}>
              Upgrade to {plan.name}
            </button>{" "}
            <span className="muted">
              {formatMinorUnits(plan.basePrice, plan.currency)} / {plan.interval}
            </span>
          </li>
        ))}
      </ul>
      {pending && <p role="status">Opening checkout…</p>}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
