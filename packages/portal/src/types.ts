/** GET /v1/portal/:token, as the server's OpenAPI document (PortalView) describes it. */
export interface PortalView {
  customer: { id: string; name: string | null; env: "live" | "test" };
  at: string;
  link: { expiresAt: string; returnUrl: string | null };
  plan: {
    key: string;
    name: string;
    label: string;
    custom: boolean;
    currency: string;
    interval: string;
  } | null;
  period: { start: string; end: string } | null;
  limits: Limit[];
  features: Array<{ feature: string; name: string }>;
  /** `price`: minor units a seat per interval past `included` (0: seats are not billed). */
  seats: { limit: number | null; used: number; unlimited: boolean; price: number; included: number } | null;
  credits: { balance: number | null; unlimited: boolean } | null;
  upgrade: { available: boolean; plans: UpgradePlan[] };
}

export interface Limit {
  feature: string;
  name: string;
  unit: string | null;
  limit: number | null;
  used: number;
  remaining: number | null;
  unlimited: boolean;
  resetsAt: string | null;
  enforcement: string;
  overage: { unitAmount: string; currency: string } | null;
}

export interface UpgradePlan {
  key: string;
  name: string;
  /** Minor units per interval. */
  basePrice: number;
  currency: string;
  interval: string;
}
