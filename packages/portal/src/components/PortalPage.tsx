import { formatCount, formatInstantUtc, formatSeatPrice } from "@tollgate/core/display";
import type { PortalView } from "../types";
import { LimitMeter } from "./LimitMeter";
import { UpgradeOffers } from "./UpgradeOffers";

/** The customer's page: plan, limits, features, seats and credits, and the upgrade buttons when offered. */
export function PortalPage({ token, view }: { token: string; view: PortalView }) {
  return (
    <main>
      <header>
        <h1>{view.customer.name ?? view.customer.id}</h1>
        {view.link.returnUrl && <a href={view.link.returnUrl}>Back to the app</a>}
      </header>

      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Your plan</h2>
        {view.plan ? (
          <p className="plan" data-testid="plan-label">
            {view.plan.label}
          </p>
        ) : (
          <p>You have no plan at the moment.</p>
        )}
        {view.period && (
          <p className="muted">
            Current period: {formatInstantUtc(view.period.start)} to {formatInstantUtc(view.period.end)}
          </p>
        )}
        <dl>
          {view.seats && (
            <>
              <dt>Seats</dt>
              <dd data-testid="seats">
                {formatCount(view.seats.used)}{" "}
                {view.seats.limit === null ? "(unlimited)" : `of ${formatCount(view.seats.limit)}`}
                {view.plan && view.seats.price > 0 && ` · ${formatSeatPrice(view.seats, view.plan)}`}
              </dd>
            </>
          )}
          {view.credits && (
            <>
              <dt>Credits</dt>
              <dd>
                {view.credits.balance === null ? "Unlimited" : `${formatCount(view.credits.balance)} left`}
              </dd>
            </>
          )}
        </dl>
      </section>

      {view.limits.length > 0 && (
        <section aria-labelledby="limits-heading">
          <h2 id="limits-heading">Usage</h2>
          <ul className="limits">
            {view.limits.map((limit) => (
              <LimitMeter key={limit.feature} limit={limit} />
            ))}
          </ul>
        </section>
      )}

      {view.features.length > 0 && (
        <section aria-labelledby="features-heading">
          <h2 id="features-heading">Included features</h2>
          <ul>
            {view.features.map((f) => (
              <li key={f.feature}>{f.name}</li>
            ))}
          </ul>
        </section>
      )}

      {view.upgrade.available && <UpgradeOffers token={token} plans={view.upgrade.plans} />}

      <footer className="muted">
        Figures as of {formatInstantUtc(view.at)}. This link works until{" "}
        {formatInstantUtc(view.link.expiresAt)}.
      </footer>
    </main>
  );
}
