import { PlanTerms } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { asc, count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { AdminCommand, AuditEntry } from "../src/index";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

let t: TestEngine;
const system = { id: "test_system", role: "system" };
const setup = admin("test setup");
const terms = (name: string, basePrice = 1000) =>
  PlanTerms.parse({ name, basePrice, entitlements: { api: {}, tokens: { limit: 10 } } });

beforeAll(async () => {
  t = await openTestEngine();
  await t.engine.features.create({ key: "api", name: "API", type: "boolean" }, setup);
  await t.engine.features.create({ key: "tokens", name: "Tokens", type: "metered" }, setup);
});
afterAll(() => t.database.close());

async function lastAuditId(): Promise<number> {
  const { data } = await t.engine.audit.list({ limit: 1 });
  return data[0]?.id ?? 0;
}

/** The audit entries written since `mark`, oldest first. */
async function auditSince(mark: number): Promise<AuditEntry[]> {
  const { data } = await t.engine.audit.list({ limit: 100 });
  return data.filter((e) => e.id > mark).reverse();
}

async function planFor(n: string, basePrice = 1000) {
  const key = `p_${n}`;
  await t.engine.plans.create({ key, custom: false, env: "live" }, terms(key, basePrice), setup);
  return key;
}

async function customerOn(n: string, planKey?: string) {
  const ref = live(`c_${n}`);
  await t.engine.customers.upsert("live", { id: ref.customerId }, system);
  if (planKey) await t.engine.subscriptions.assign(ref, { planKey }, setup);
  return ref;
}

interface Expected {
  action: string;
  before: unknown;
  after: unknown;
}

/** Each admin mutation: its preparation (audited with the setup reason), the call, and the entries it writes. */
interface Mutation {
  name: string;
  prepare: (n: string) => Promise<unknown>;
  run: (n: string, command: AdminCommand) => Promise<unknown>;
  expected: (n: string) => Expected[];
}

const mutations: Mutation[] = [
  {
    name: "features.create",
    prepare: async () => undefined,
    run: (n, command) => t.engine.features.create({ key: `f_${n}`, name: "F", type: "boolean" }, command),
    expected: (n) => [
      { action: "feature.created", before: null, after: expect.objectContaining({ key: `f_${n}` }) },
    ],
  },
  {
    name: "plans.create",
    prepare: async () => undefined,
    run: (n, command) =>
      t.engine.plans.create({ key: `p_${n}`, custom: false, env: "live" }, terms("P"), command),
    expected: (n) => [
      { action: "plan.created", before: null, after: expect.objectContaining({ key: `p_${n}` }) },
      {
        action: "plan.version_published",
        before: null,
        after: expect.objectContaining({ id: `pv_p_${n}_1`, version: 1, basePrice: 1000 }),
      },
    ],
  },
  {
    name: "plans.publishVersion",
    prepare: (n) => planFor(n),
    run: (n, command) => t.engine.plans.publishVersion(`p_${n}`, terms("P2", 1500), command),
    expected: (n) => [
      {
        action: "plan.version_published",
        before: null,
        after: expect.objectContaining({ id: `pv_p_${n}_2`, version: 2, basePrice: 1500 }),
      },
    ],
  },
  {
    name: "plans.archive",
    prepare: (n) => planFor(n),
    run: (n, command) => t.engine.plans.archive(`p_${n}`, command),
    expected: (n) => [
      {
        action: "plan.archived",
        before: expect.objectContaining({ key: `p_${n}`, archivedAt: null }),
        after: expect.objectContaining({ key: `p_${n}`, archivedAt: expect.any(String) }),
      },
    ],
  },
  {
    name: "subscriptions.assign",
    prepare: async (n) => {
      await planFor(`${n}_big`, 5000);
      await customerOn(n, await planFor(n));
    },
    run: (n, command) => t.engine.subscriptions.assign(live(`c_${n}`), { planKey: `p_${n}_big` }, command),
    expected: (n) => [
      {
        action: "subscription.assigned",
        before: expect.objectContaining({ planKey: `p_${n}`, planVersion: 1 }),
        after: expect.objectContaining({ planKey: `p_${n}_big`, planVersion: 1, change: "upgrade" }),
      },
    ],
  },
  {
    name: "subscriptions.cancel",
    prepare: async (n) => customerOn(n, await planFor(n)),
    run: (n, command) => t.engine.subscriptions.cancel(live(`c_${n}`), {}, command),
    expected: (n) => [
      {
        action: "subscription.canceled",
        before: expect.objectContaining({ planKey: `p_${n}`, status: "active", effectiveTo: null }),
        after: expect.objectContaining({
          planKey: `p_${n}`,
          status: "canceled",
          effectiveTo: expect.any(String),
        }),
      },
    ],
  },
  {
    name: "overrides.set",
    prepare: async (n) => {
      const ref = await customerOn(n, await planFor(n));
      await t.engine.overrides.set(ref, { overrides: { seatLimit: 2 } }, setup);
    },
    run: (n, command) => t.engine.overrides.set(live(`c_${n}`), { overrides: { seatLimit: 3 } }, command),
    expected: () => [
      {
        action: "overrides.set",
        before: expect.objectContaining({ overrides: { seatLimit: 2 } }),
        after: expect.objectContaining({ overrides: { seatLimit: 3 } }),
      },
    ],
  },
  {
    name: "overrides.clear",
    prepare: async (n) => {
      const ref = await customerOn(n, await planFor(n));
      await t.engine.overrides.set(ref, { overrides: { seatLimit: 2 } }, setup);
    },
    run: (n, command) => t.engine.overrides.clear(live(`c_${n}`), command),
    expected: () => [
      {
        action: "overrides.cleared",
        before: expect.objectContaining({ overrides: { seatLimit: 2 } }),
        after: null,
      },
    ],
  },
  {
    name: "provisioningRules.create",
    prepare: (n) => planFor(n),
    run: (n, command) =>
      t.engine.provisioningRules.create(
        {
          domain: `${n.replaceAll("_", "-")}.example.com`,
          planKey: `p_${n}`,
          overrides: { skipBilling: true },
        },
        command,
      ),
    expected: (n) => [
      {
        action: "provisioning_rule.created",
        before: null,
        after: expect.objectContaining({
          domain: `${n.replaceAll("_", "-")}.example.com`,
          planKey: `p_${n}`,
        }),
      },
    ],
  },
  {
    name: "apiKeys.create",
    prepare: async () => undefined,
    run: (n, command) => t.engine.apiKeys.create({ name: `key ${n}`, type: "secret", env: "live" }, command),
    expected: (n) => [
      {
        action: "api_key.created",
        before: null,
        after: expect.objectContaining({ name: `key ${n}`, type: "secret", env: "live" }),
      },
    ],
  },
];

describe("admin mutations", () => {
  it("take a reason in their type: AdminCommand.reason is a required string", () => {
    expectTypeOf<AdminCommand["reason"]>().toEqualTypeOf<string>();
    expectTypeOf<AdminCommand>().toHaveProperty("actor");
  });

  it.each(mutations.map((m) => [m.name, m]))(
    "%s with a reason writes its audit entry with actor, action, before, after and reason",
    async (name, mutation) => {
      const n = `with_${name.replace(".", "_")}`.toLowerCase();
      await mutation.prepare(n);
      const mark = await lastAuditId();
      const command = {
        actor: { id: "key_admin_1", role: "operator" },
        reason: `ticket OPS-1 for ${name}`,
        requestId: `req_${n}`,
      };
      await mutation.run(n, command);
      const entries = await auditSince(mark);
      expect(entries.map(({ action, before, after }) => ({ action, before, after }))).toEqual(
        mutation.expected(n),
      );
      for (const entry of entries) {
        expect(entry).toMatchObject({
          actorId: "key_admin_1",
          actorRole: "operator",
          reason: `ticket OPS-1 for ${name}`,
          requestId: `req_${n}`,
          at: expect.any(Date),
        });
      }
    },
  );

  // The engine refuses a missing or blank reason itself, so an in-process caller cannot skip it.
  it.each(mutations.map((m) => [m.name, m]))(
    "%s without a reason is refused with parameter_missing and writes nothing",
    async (name, mutation) => {
      const n = `blank_${name.replace(".", "_")}`.toLowerCase();
      await mutation.prepare(n);
      const mark = await lastAuditId();
      for (const reason of ["", "   ", undefined]) {
        await expect(mutation.run(n, { ...admin(), reason: reason as string })).rejects.toMatchObject({
          code: "parameter_missing",
          param: "reason",
        });
      }
      expect(await auditSince(mark)).toEqual([]);
    },
  );

  it("never writes an api key's secret or its hash into the audit log", async () => {
    const mark = await lastAuditId();
    const key = await t.engine.apiKeys.create(
      { name: "ci", type: "admin", role: "viewer", env: "test" },
      admin("CI"),
    );
    const [entry] = await auditSince(mark);
    const stored = JSON.stringify(entry?.after);
    expect(stored).not.toContain(key.secret);
    expect(entry?.after).not.toHaveProperty("secretHash");
    expect(entry?.after).toMatchObject({ id: key.id, role: "viewer", prefix: key.secret.slice(0, 14) });
  });

  it("a refused mutation writes no audit entry, so the change and its record commit together", async () => {
    const mark = await lastAuditId();
    const bad = PlanTerms.parse({ name: "Bad", entitlements: { teleport: {} } });
    await expect(
      t.engine.plans.create({ key: "p_bad", custom: false, env: "live" }, bad, admin("try")),
    ).rejects.toMatchObject({ code: "unknown_feature" });
    expect(await auditSince(mark)).toEqual([]);
    expect((await t.engine.plans.list()).map((p) => p.key)).not.toContain("p_bad");
  });
});

/** Drizzle wraps the database error; the trigger's words are in its cause. */
const refusedAsAppendOnly = (error: unknown) =>
  /append-only/.test(String((error as { cause?: Error }).cause?.message ?? error));

describe("history the database refuses to rewrite", () => {
  beforeAll(async () => {
    await t.engine.plans.create({ key: "immutable", custom: false, env: "live" }, terms("Immutable"), setup);
  });

  async function auditRows() {
    return t.database.db.select().from(tables.auditLog).orderBy(asc(tables.auditLog.id));
  }

  it("refuses UPDATE, DELETE and TRUNCATE on audit_log", async () => {
    const before = await auditRows();
    expect(before.length).toBeGreaterThan(0);
    const { db } = t.database;
    await expect(db.execute(sql`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toSatisfy(
      refusedAsAppendOnly,
    );
    await expect(
      db.execute(sql`UPDATE audit_log SET actor_id = 'nobody' WHERE id = ${before[0]?.id}`),
    ).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(db.execute(sql`DELETE FROM audit_log`)).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(db.execute(sql`DELETE FROM audit_log WHERE id = ${before[0]?.id}`)).rejects.toSatisfy(
      refusedAsAppendOnly,
    );
    await expect(db.execute(sql`TRUNCATE audit_log`)).rejects.toSatisfy(refusedAsAppendOnly);
    expect(await auditRows()).toEqual(before);
  });

  it("refuses UPDATE and DELETE on plan_versions", async () => {
    const before = await t.engine.plans.get("immutable");
    const { db } = t.database;
    await expect(
      db.execute(sql`UPDATE plan_versions SET terms = '{"basePrice": 1}'::jsonb WHERE id = 'pv_immutable_1'`),
    ).rejects.toSatisfy(refusedAsAppendOnly);
    await expect(db.execute(sql`UPDATE plan_versions SET effective_to = now()`)).rejects.toSatisfy(
      refusedAsAppendOnly,
    );
    await expect(db.execute(sql`DELETE FROM plan_versions WHERE id = 'pv_immutable_1'`)).rejects.toSatisfy(
      refusedAsAppendOnly,
    );
    expect(await t.engine.plans.get("immutable")).toEqual(before);
    const [row] = await db.select({ n: count() }).from(tables.planVersions);
    expect(row?.n).toBeGreaterThan(0);
  });
});
