import { PlanTerms } from "@tollgate/core";
import type { AdminCommand } from "../context";
import type { Engine } from "../engine";
import { demoFeatures, demoPlans, EMPLOYEE_DOMAIN } from "./demoCatalog";

const seed = (reason: string): AdminCommand => ({ actor: { id: "seed", role: "system" }, reason });

/**
 * Loads the design's scenarios: the catalog, Acme's enterprise overrides, the employee rule and
 * an employee, the Advisor, Cronicorn's custom plan, and one customer on each metered bundle.
 * Idempotent: a database that already has plans is left alone.
 */
export async function seedDemo(engine: Engine): Promise<{ seeded: boolean }> {
  if ((await engine.plans.list()).length > 0) return { seeded: false };
  for (const feature of demoFeatures) await engine.features.create(feature, seed("demo catalog"));
  for (const { key, ...terms } of demoPlans) {
    await engine.plans.create(
      { key, custom: false, env: "live" },
      PlanTerms.parse(terms),
      seed("demo catalog"),
    );
  }
  const live = (customerId: string) => ({ env: "live" as const, customerId });
  const system = { id: "seed", role: "system" };

  await engine.customers.upsert(
    "live",
    { id: "acme", name: "Acme Corp", email: "billing@acme.example" },
    system,
  );
  await engine.subscriptions.assign(
    live("acme"),
    { planKey: "team_pro" },
    seed("Acme MSA signed 2026-03-01"),
  );
  await engine.overrides.set(
    live("acme"),
    {
      overrides: {
        basePlanId: "team_pro",
        includedCredits: 500,
        creditPrice: "0.70",
        additionalFeatures: ["infra_dedicated", "sla_custom"],
        seatLimit: 50,
        planLabel: "Acme Corp Enterprise",
        stripePriceIds: ["price_acme_enterprise"],
      },
    },
    seed("Acme MSA signed 2026-03-01"),
  );

  await engine.provisioningRules.create(
    {
      domain: EMPLOYEE_DOMAIN,
      planKey: "team_pro",
      overrides: {
        includedCredits: -1,
        creditPrice: "0",
        skipBilling: true,
        planLabel: "Employee Plan",
        additionalFeatures: ["infra_dedicated"],
      },
    },
    seed("employees get the Employee Plan"),
  );
  await engine.customers.upsert(
    "live",
    { id: "emp_ada", name: "Ada (employee)", email: `ada@${EMPLOYEE_DOMAIN}`, emailVerified: true },
    system,
  );

  await engine.customers.upsert("live", { id: "advisor_grace", name: "Grace (advisor)" }, system);
  await engine.subscriptions.assign(
    live("advisor_grace"),
    { planKey: "personal_pro" },
    seed("advisory agreement"),
  );
  await engine.overrides.set(
    live("advisor_grace"),
    {
      overrides: {
        basePlanId: "personal_pro",
        includedCredits: 1000,
        monthlyBase: 0,
        skipBilling: true,
        planLabel: "Advisor Plan",
      },
    },
    seed("advisory agreement: free, 1000 credits a month"),
  );

  await engine.customers.upsert("live", { id: "cronicorn", name: "Cronicorn" }, system);
  await engine.plans.create(
    { key: "cronicorn_custom", custom: true, customerId: "cronicorn", env: "live" },
    PlanTerms.parse({
      name: "Cronicorn Custom",
      kind: "custom",
      basePrice: 19_900,
      effectiveFrom: "2026-01-01T00:00:00Z",
      effectiveTo: "2028-01-01T00:00:00Z",
      entitlements: {
        api_access: { enabled: true },
        endpoints: { limit: 500, window: "never", enforcement: "block" },
        ai_tokens: { limit: 5_000_000, window: "period", enforcement: "block" },
      },
    }),
    seed("Cronicorn order form CF-1042"),
  );
  await engine.subscriptions.assign(
    live("cronicorn"),
    { planKey: "cronicorn_custom" },
    seed("Cronicorn order form CF-1042"),
  );

  for (const [id, name, planKey] of [
    ["initech", "Initech", "free"],
    ["globex", "Globex", "standard"],
    ["umbrella", "Umbrella", "enterprise"],
  ] as const) {
    await engine.customers.upsert("live", { id, name }, system);
    await engine.subscriptions.assign(live(id), { planKey }, seed("demo customer"));
  }
  return { seeded: true };
}

/** Well-known keys for the demo only: never use them with real data. */
export const DEMO_KEYS = {
  admin: "tg_demo_admin",
  operator: "tg_demo_operator",
  viewer: "tg_demo_viewer",
  liveSecret: "tg_demo_live_sk",
  testSecret: "tg_demo_test_sk",
} as const;

export async function seedDemoKeys(engine: Engine): Promise<void> {
  const command = seed("demo keys");
  await engine.apiKeys.ensure(
    DEMO_KEYS.admin,
    { name: "demo admin", type: "admin", role: "admin", env: "live" },
    command,
  );
  await engine.apiKeys.ensure(
    DEMO_KEYS.operator,
    { name: "demo operator", type: "admin", role: "operator", env: "live" },
    command,
  );
  await engine.apiKeys.ensure(
    DEMO_KEYS.viewer,
    { name: "demo viewer", type: "admin", role: "viewer", env: "live" },
    command,
  );
  await engine.apiKeys.ensure(
    DEMO_KEYS.liveSecret,
    { name: "demo live secret", type: "secret", env: "live" },
    command,
  );
  await engine.apiKeys.ensure(
    DEMO_KEYS.testSecret,
    { name: "demo test secret", type: "secret", env: "test" },
    command,
  );
}
