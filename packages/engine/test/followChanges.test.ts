import { PlanTerms } from "@tollgate/core";
import { type Database, openTestDatabase } from "@tollgate/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "../src/audit/writeAudit";
import { createEngine, type Engine } from "../src/index";
import { admin, live } from "./testEngine";

// Two engines on one database stand for two processes (a server and a worker, two servers):
// each has its own entitlement cache.
let database: Database;
let server: Engine;
let other: Engine;

beforeAll(async () => {
  database = await openTestDatabase();
  server = createEngine({ database });
  other = createEngine({ database });
  await other.features.create({ key: "exports", name: "Exports", type: "boolean" }, admin());
  for (const [key, basePrice, entitlements] of [
    ["basic", 1000, {}],
    ["pro", 5000, { exports: {} }],
  ] as const) {
    await other.plans.create(
      { key, custom: false, env: "live" },
      PlanTerms.parse({ name: key, basePrice, entitlements }),
      admin(),
    );
  }
  await other.customers.upsert("live", { id: "shared" }, admin().actor);
  await other.subscriptions.assign(live("shared"), { planKey: "basic" }, admin("signed up"));
  await server.entitlements.followChanges(); // the first poll marks where to start
});
afterAll(() => database.close());

const exportsAllowed = async (engine: Engine) =>
  (await engine.entitlements.check(live("shared"), { feature: "exports", quantity: 1 })).allowed;

describe("a key revoked by another process", () => {
  it("is refused here from this process's next poll, and never made again from its secret", async () => {
    const secret = "tg_live_sk_shared_between_processes";
    const created = await other.apiKeys.ensure(
      secret,
      { name: "shared", type: "secret", env: "live" },
      admin(),
    );
    expect((await server.apiKeys.authenticate(secret))?.id).toBe(created.id);
    expect(server.apiKeys.cached(secret)?.id).toBe(created.id);
    const revoked = await other.apiKeys.revoke(created.id, admin("leaked"));
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(other.apiKeys.cached(secret)).toBeUndefined();
    expect(server.apiKeys.cached(secret)?.id).toBe(created.id); // until it looks
    await server.entitlements.followChanges();
    expect(server.apiKeys.cached(secret)).toBeUndefined();
    expect(await server.apiKeys.authenticate(secret)).toBeUndefined();
    // TOLLGATE_ADMIN_KEY or the demo naming a revoked secret: refused, not made again.
    await expect(
      server.apiKeys.ensure(secret, { name: "shared", type: "secret", env: "live" }, admin()),
    ).rejects.toMatchObject({ code: "api_key_revoked" });
    expect((await server.apiKeys.list()).filter((k) => k.name === "shared")).toHaveLength(1);
  });
});

describe("a change made by another process", () => {
  it("reaches this process's cached entitlements at its next poll", async () => {
    expect(await exportsAllowed(server)).toBe(false); // cached now
    await other.subscriptions.assign(live("shared"), { planKey: "pro" }, admin("upgraded elsewhere"));
    expect(await exportsAllowed(server)).toBe(false); // still the cached answer
    expect(await server.entitlements.followChanges()).toBeGreaterThan(0);
    expect(await exportsAllowed(server)).toBe(true);
    expect(await server.entitlements.followChanges()).toBe(0);
  });

  it("drops the cached catalog when a feature is created elsewhere", async () => {
    await server.features.list();
    const before = await server.entitlements.check(live("shared"), { feature: "sso", quantity: 1 });
    expect(before.reason).toBe("feature_not_in_plan");
    await other.features.create({ key: "sso", name: "SSO", type: "boolean" }, admin());
    await other.plans.publishVersion(
      "pro",
      PlanTerms.parse({ name: "pro", basePrice: 5000, entitlements: { exports: {}, sso: {} } }),
      admin(),
    );
    await other.subscriptions.assign(live("shared"), { planKey: "pro", version: 2 }, admin("moved to v2"));
    await server.entitlements.followChanges();
    expect(await server.entitlements.check(live("shared"), { feature: "sso", quantity: 1 })).toMatchObject({
      allowed: true,
    });
  });

  // PGlite has one connection: two transactions cannot commit out of order there.
  it.skipIf(!process.env.DATABASE_URL)(
    "is not missed when it commits after a newer change (audit ids commit out of order)",
    async () => {
      expect(await exportsAllowed(server)).toBe(true);
      let commit = () => {};
      const held = new Promise<void>((resolve) => {
        commit = resolve;
      });
      // A slow transaction takes an audit id first and commits last.
      const slow = database.db.transaction(async (tx) => {
        await writeAudit(tx, {
          ...admin("slow change"),
          action: "subscription.assigned",
          targetType: "subscription",
          targetId: "slow",
          customerId: "shared",
          env: "live",
        });
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await other.customers.upsert("live", { id: "bystander" }, admin().actor);
      await server.entitlements.followChanges(); // sees the newer id, misses the slow one
      expect(await exportsAllowed(server)).toBe(true); // re-cached after that poll
      commit();
      await slow;
      expect(await server.entitlements.followChanges()).toBe(1); // the slow one, found late
      expect(await server.entitlements.followChanges()).toBe(0);
    },
  );
});
