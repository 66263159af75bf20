import { invalid } from "../errors/TollgateError";
import { assertMinorUnits, type PreciseAmount, roundLine } from "../money/currency";
import { Exact, toPrecise } from "../money/exact";
import type { BillingPeriod } from "../time/billingPeriod";

const DAY_MS = 86_400_000;

/** One seat held over [from, to); `to` null while it is still held. */
export interface SeatHolding {
  from: Date;
  to: Date | null;
}

/** Days of a period over which the same number of seats was held. */
export interface SeatStretch {
  from: Date;
  to: Date;
  seats: number;
  /** The period's days this stretch is billed for. */
  days: number;
}

/** A period's whole days, a started day as a whole one (anniversary periods are whole days). */
export const periodDays = (period: BillingPeriod): number =>
  Math.ceil((period.to.getTime() - period.from.getTime()) / DAY_MS);

/**
 * The seats held over `span` (a part of `period`: a contract's share of it), by day: the period
 * is cut into days from its start, and each day is billed at the number of seats held at its end
 * — a seat added during a day pays for that day, a seat removed during a day does not, and of
 * two changes in one day only the later counts. A span that starts or ends inside a day takes the
 * days from the day it starts in to the day it ends in, so the contracts of a split period share
 * its days out exactly. Consecutive days with the same count are one stretch.
 */
export function seatStretches(
  period: BillingPeriod,
  span: { from: Date; to: Date },
  holdings: readonly SeatHolding[],
): SeatStretch[] {
  if (span.from < period.from || span.to > period.to || span.to < span.from) {
    throw invalid("outside_period", "the span must lie inside the billing period", "span");
  }
  const total = periodDays(period);
  const dayOf = (t: number) =>
    t >= period.to.getTime() ? total : Math.floor((t - period.from.getTime()) / DAY_MS);
  const start = span.from.getTime();
  const end = span.to.getTime();
  // The seats held at the span's start, then each change inside it: one pass, a running count.
  let seats = 0;
  const changes = new Map<number, number>();
  const change = (t: number, by: number) => changes.set(t, (changes.get(t) ?? 0) + by);
  for (const h of holdings) {
    const from = h.from.getTime();
    const to = h.to?.getTime() ?? Number.POSITIVE_INFINITY;
    if (from <= start && to > start) seats += 1;
    if (from > start && from < end) change(from, 1);
    if (to > start && to < end) change(to, -1);
  }
  const instants = [start, ...[...changes.keys()].sort((a, b) => a - b), end];
  const stretches: SeatStretch[] = [];
  for (let i = 0; i + 1 < instants.length; i++) {
    const from = instants[i] as number;
    const to = instants[i + 1] as number;
    if (i > 0) seats += changes.get(from) ?? 0;
    const days = dayOf(to) - dayOf(from);
    if (days === 0) continue;
    const last = stretches.at(-1);
    if (last && last.seats === seats) {
      last.to = new Date(to);
      last.days += days;
    } else stretches.push({ from: new Date(from), to: new Date(to), seats, days });
  }
  return stretches;
}

export interface RatedSeats {
  /** Seats billed: those held past the ones the base fee includes. */
  billed: number;
  amount: number;
  exactAmount: PreciseAmount;
}

/**
 * A stretch's seats at `unitAmountMinor` a seat for the whole period, less the `included` ones,
 * for its share of the period's days: unit × billed seats × days ÷ period days, rounded once.
 */
export function rateSeatStretch(
  unitAmountMinor: number,
  included: number,
  stretch: SeatStretch,
  period: BillingPeriod,
): RatedSeats {
  assertMinorUnits(unitAmountMinor, "unitAmount");
  const billed = Math.max(0, stretch.seats - included);
  const exact = new Exact(unitAmountMinor).times(billed).times(stretch.days).div(periodDays(period));
  // Rounded from the whole quotient; shown to 12 places (a share of 31 days never terminates).
  return { billed, amount: roundLine(exact), exactAmount: toPrecise(exact.toDecimalPlaces(12)) };
}
