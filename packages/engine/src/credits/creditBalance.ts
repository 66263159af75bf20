import { addQuantities, type EffectivePlan, type Interval, seatsBilled, usableBalance } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { and, eq, gt, like, or } from "drizzle-orm";
import type { CustomerRef } from "../context";
import { creditHolds } from "./creditHolds";
import { includedKey, includedPending } from "./includedCredits";

export interface CreditState {
  /**
   * Credits usable now: counting the period's included credits even before they are granted,
   * less those open reservations hold.
   */
  balance: number;
  unlimited: boolean;
  /** Credits open reservations hold (0 when unlimited). */
  held: number;
}

/**
 * The customer's credit balance at `at`, derived from its grants and open holds, and when the
 * first hold lapses (the balance grows then: a cached copy must not outlive it).
 */
export async function loadCreditState(
  db: Queryable,
  ref: CustomerRef,
  effective: EffectivePlan | null,
  period: Interval | null,
  seats: number,
  at: Date,
): Promise<{ credits: CreditState; holdsLapseAt: Date | null }> {
  const unlimited = effective?.credits.unlimited ?? false;
  const g = tables.creditGrants;
  const key = period ? includedKey(period.from) : null;
  const rows = await db
    .select()
    .from(g)
    .where(
      and(
        eq(g.customerId, ref.customerId),
        eq(g.env, ref.env),
        key ? or(gt(g.remaining, 0), eq(g.grantKey, key), like(g.grantKey, `${key}:%`)) : gt(g.remaining, 0),
      ),
    );
  let balance = usableBalance(rows, at);
  const perSeat = effective?.credits.perSeat ?? 0;
  if (period && !unlimited && perSeat > 0) {
    balance += includedPending(perSeat * seatsBilled(seats), rows, period.from);
  }
  // Only a feature that draws on credits can hold them: most customers' loads skip the query.
  const draws = !unlimited && Object.values(effective?.entitlements ?? {}).some((e) => e.creditCost);
  const { held, lapsesAt } = draws ? await creditHolds(db, ref, at) : { held: 0, lapsesAt: null };
  return {
    credits: { balance: Math.max(0, addQuantities(balance, -held)), unlimited, held },
    holdsLapseAt: lapsesAt,
  };
}
