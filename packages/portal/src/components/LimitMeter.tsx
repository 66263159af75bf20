import { formatCount, formatInstantUtc } from "@tollgate/core/display";
import { formatUnitPrice, unitFor } from "../format";
import type { Limit } from "../types";

/** One metered limit: a progress bar with the same facts in words, when it resets, its overage price. */
export function LimitMeter({ limit }: { limit: Limit }) {
  const headingId = `limit-${limit.feature}`;
  const units = (n: number) => `${formatCount(n)} ${unitFor(limit.unit, n)}`.trim();
  const over = limit.limit !== null && limit.used > limit.limit ? limit.used - limit.limit : 0;
  return (
    <li className="limit" data-testid="limit">
      <h3 id={headingId}>{limit.name}</h3>
      {limit.limit === null ? (
        <p>Unlimited · {units(limit.used)} used</p>
      ) : (
        <>
          <progress
            aria-labelledby={headingId}
            className={over > 0 ? "over" : undefined}
            max={Math.max(limit.limit, 1)}
            value={Math.min(limit.used, limit.limit)}
          />
          <p>
            {formatCount(limit.used)} of {units(limit.limit)} used ·{" "}
            {over > 0
              ? `${formatCount(over)} over the limit`
              : `${formatCount(limit.remaining ?? 0)} remaining`}
          </p>
        </>
      )}
      <p className="muted">
        {limit.resetsAt ? `Resets ${formatInstantUtc(limit.resetsAt)}` : "Does not reset"}
      </p>
      {limit.overage && (
        <p className="muted">
          Past the limit: {formatUnitPrice(limit.overage.unitAmount, limit.overage.currency)} per{" "}
          {limit.unit ?? "unit"}
        </p>
      )}
    </li>
  );
}
