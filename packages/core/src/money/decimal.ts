import { z } from "zod";

/**
 * A non-negative decimal amount in major units of the currency, written as a string so no
 * float ever touches it: a credit price "0.70" is 70 cents, a unit price "0.0004" is 0.04 cents.
 */
export const DecimalString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a non-negative decimal string such as "0.70"');
