import { PlanTerms } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";

const DAY = 86_400_000;
let t: TestEngine;

beforeAll(async () => {
  t = await openTestEngine("2026-06-15T12:00:00Z");
  const { engine } = t;
  await engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await engine.features.create({ key: "exports", name: "Exports", type: "boolean" }, admin());
  await engine.plans.create(
    { key: "free", custom: false, env: "live" },
    PlanTerms.parse({ name: "Free", kind: "free", entitlements: { api: {} } }),
    admin(),
  );
  await engine.plans.create(
    { key: "pro_trial", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Pro",
      basePrice: 5000,
      trial: { days: 14, fallbackPlan: "free" },
      entitlements: { api: {}, exports: {} },
    }),
    admin(),
  );
  await engine.plans.create(
    { key: "pro_paid", custom: false, env: "live" },
    PlanTerms.parse({ name: "Pro (paid)", basePrice: 6000, entitlements: { api: {}, exports: {} } }),
    admin(),
  );
  await engine.plans.create(
    { key: "lone_trial", custom: false, env: "live" },
    PlanTerms.parse({
      name: "Trial only",
      basePrice: 1000,
      trial: { days: 7 },
      entitlements: { exports: {} },
    }),
    admin(),
  );
  for (const id of ["lapses", "converts", "alone", "w1", "w2", "w3"]) {
    await engine.customers.upsert("live", { id }, admin().actor);
  }
});
afterAll(() => t.database.close());

const exportsAllowed = async (customerId: string) =>
  (await t.engine.entitlements.check(live(customerId), { feature: "exports", quantity: 1 })).allowed;
const outbox = async (type: string, customerId: string) =>
  t.database.db
    .select()
    .from(tables.outbox)
    .where(and(eq(tables.outbox.type, type), eq(tables.outbox.customerId, customerId)));
const job = async (key: string) =>
  (await t.database.db.select().from(tables.jobs).where(eq(tables.jobs.key, key)))[0];

describe("trial expiry", () => {
  it("moves a lapsed trial to its fallback plan at the trial's end, once, with an event and an audit entry", async () => {
    const { subscription } = await t.engine.subscriptions.assign(
      live("lapses"),
      { planKey: "pro_trial" },
      admin(),
    );
    expect(subscription).toMatchObject({ status: "trialing", trialEndsAt: new Date("2026-06-29T12:00:00Z") });
    expect(await exportsAllowed("lapses")).toBe(true);

    t.clock.advance(13 * DAY);
    expect((await t.engine.scheduler.runDue()).ran).toBe(0);
    t.clock.advance(DAY + 60_000);
    const summary = await t.engine.scheduler.runDue();
    expect(summary).toMatchObject({ ran: 1, failed: 0 });
    expect(await exportsAllowed("lapses")).toBe(false);

    const history = await t.engine.customers.history(live("lapses"));
    expect(JSON.stringify(history)).toContain("free");
    const [event] = await outbox("trial_expired", "lapses");
    expect(event?.payload).toMatchObject({
      planKey: "pro_trial",
      trialEndedAt: "2026-06-29T12:00:00.000Z",
      fallback: { planKey: "free" },
    });
    const audit = await t.engine.audit.list({
      customerId: "lapses",
      action: "subscription.trial_expired",
      limit: 10,
    });
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]).toMatchObject({
      actorId: "scheduler",
      reason: expect.stringContaining("trial of pro_trial ended"),
    });

    // The fallback started exactly at the trial's end, not when the job happened to run.
    const subs = await t.database.db
      .select()
      .from(tables.subscriptions)
      .where(eq(tables.subscriptions.customerId, "lapses"));
    const free = subs.find((s) => s.planKey === "free");
    expect(free?.effectiveFrom.toISOString()).toBe("2026-06-29T12:00:00.000Z");

    expect((await t.engine.scheduler.runDue()).ran).toBe(0);
    expect(await outbox("trial_expired", "lapses")).toHaveLength(1);
  });

  it("leaves a trial that converted to a paid plan before its end alone", async () => {
    const now = t.clock();
    await t.engine.subscriptions.assign(live("converts"), { planKey: "pro_trial" }, admin());
    t.clock.advance(3 * DAY);
    await t.engine.subscriptions.assign(live("converts"), { planKey: "pro_paid" }, admin("paid"));
    t.clock.set(new Date(now.getTime() + 15 * DAY).toISOString());
    expect((await t.engine.scheduler.runDue()).ran).toBe(1);
    expect(await outbox("trial_expired", "converts")).toHaveLength(0);
    expect(await exportsAllowed("converts")).toBe(true);
  });

  it("ends a trial with no fallback plan, leaving the customer on no plan", async () => {
    await t.engine.subscriptions.assign(live("alone"), { planKey: "lone_trial" }, admin());
    t.clock.advance(8 * DAY);
    await t.engine.scheduler.runDue();
    const check = await t.engine.entitlements.check(live("alone"), { feature: "exports", quantity: 1 });
    expect(check).toMatchObject({ allowed: false, reason: "no_subscription" });
    expect((await outbox("trial_expired", "alone"))[0]?.payload).toMatchObject({ fallback: null });
  });
});

describe("the job runner", () => {
  it("runs each due job once when several workers poll at the same time", async () => {
    for (const id of ["w1", "w2", "w3"]) {
      await t.engine.subscriptions.assign(live(id), { planKey: "pro_trial" }, admin());
    }
    t.clock.advance(15 * DAY);
    const summaries = await Promise.all([t.engine.scheduler.runDue(), t.engine.scheduler.runDue()]);
    expect(summaries.reduce((sum, s) => sum + s.ran, 0)).toBe(3);
    for (const id of ["w1", "w2", "w3"]) expect(await outbox("trial_expired", id)).toHaveLength(1);
  });

  it("retries a failing job later with backoff, and gives a job of an unknown kind up with the reason", async () => {
    const now = t.clock();
    await t.database.db.insert(tables.jobs).values([
      { key: "broken", kind: "trial_expiry", payload: {}, runAt: now, status: "pending" },
      { key: "mystery", kind: "no_such_kind", payload: {}, runAt: now, status: "pending" },
    ]);
    const summary = await t.engine.scheduler.runDue();
    expect(summary).toMatchObject({ retried: 1, unknown: 1 });
    const broken = await job("broken");
    expect(broken).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: expect.stringContaining("lacks"),
    });
    expect(broken?.runAt.getTime()).toBe(now.getTime() + 1000);
    expect(await job("mystery")).toMatchObject({
      status: "failed",
      lastError: expect.stringContaining("no handler"),
    });
  });

  it("takes over a job whose worker died while holding it (its lease ran out)", async () => {
    const now = t.clock();
    await t.database.db.execute(sql`DELETE FROM jobs WHERE key = 'broken'`);
    await t.database.db.insert(tables.jobs).values({
      key: "orphan",
      kind: "trial_expiry",
      payload: { subscriptionId: "sub_gone" },
      customerId: "w1",
      env: "live",
      runAt: new Date(now.getTime() - 120_000),
      status: "running",
      attempts: 1,
      lockedUntil: new Date(now.getTime() - 1),
    });
    expect((await t.engine.scheduler.runDue()).ran).toBe(1);
    expect(await job("orphan")).toMatchObject({ status: "done", attempts: 2 });
  });
});

describe("billing around a trial", () => {
  it("never bills the trial's days, whether it lapsed to a free plan or converted", async () => {
    t.clock.advance(70 * DAY);
    await t.engine.invoices.finalizeDue();
    const lapsed = await t.engine.invoices.list(live("lapses"));
    expect(lapsed.length).toBeGreaterThan(0);
    expect(lapsed.every((invoice) => invoice.planKey === "free" && invoice.subtotal === 0)).toBe(true);
    const converted = await t.engine.invoices.list(live("converts"));
    const lines = converted.flatMap((invoice) => invoice.lines as { description: string; amount: number }[]);
    expect(lines.some((l) => l.description.startsWith("Pro (paid)") && l.amount > 0)).toBe(true);
    expect(lines.filter((l) => l.description.startsWith("Pro,"))).toEqual([]);
  });
});
