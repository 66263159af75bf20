import { z } from "zod";

export const CREDIT_SOURCES = ["included", "purchased", "bonus", "promotional"] as const;
export type CreditSource = (typeof CREDIT_SOURCES)[number];

/** The largest single grant: beyond it the amount is almost surely a mistake. */
export const MAX_GRANT = 1_000_000_000_000;

/** An admin's grant of credits (`POST /v1/admin/customers/:id/credit-grants`). */
export const CreditGrantInput = z.object({
  amount: z.number().positive("must be more than zero").max(MAX_GRANT),
  source: z.enum(["purchased", "bonus", "promotional"]).default("bonus"),
  /** Lower burns first among grants expiring at the same instant. */
  priority: z.number().int().min(0).max(1000).default(100),
  expiresAt: z.coerce.date().nullish(),
});
export type CreditGrantInput = z.infer<typeof CreditGrantInput>;

/** A grant as the burn order sees it. */
export interface GrantBalance {
  id: string;
  remaining: number;
  expiresAt: Date | null;
  priority: number;
  createdAt: Date;
}
