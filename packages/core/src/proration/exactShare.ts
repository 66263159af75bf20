import type Decimal from "decimal.js";
import { Exact } from "../money/exact";
import type { ProrationShare } from "./prorationShare";

/**
 * amount × count / of, to 64 significant digits. Rounding it to a whole minor unit is exact:
 * a result that is truly half a unit terminates, so the division keeps it whole, and any other
 * result lies at least 1/(2 × of) away from a half, far beyond the 64th digit.
 */
export function exactShare(amountMinor: number, share: ProrationShare): Decimal {
  return new Exact(amountMinor).times(share.count).div(share.of);
}
