/** A half-open UTC interval [from, to); `to: null` is open-ended. */
export interface Interval {
  from: Date;
  to: Date | null;
}

export function contains(interval: Interval, at: Date): boolean {
  return (
    interval.from.getTime() <= at.getTime() && (interval.to === null || at.getTime() < interval.to.getTime())
  );
}

export function overlaps(a: Interval, b: Interval): boolean {
  const aEndsAfterBStarts = a.to === null || a.to.getTime() > b.from.getTime();
  const bEndsAfterAStarts = b.to === null || b.to.getTime() > a.from.getTime();
  return aEndsAfterBStarts && bEndsAfterAStarts;
}
