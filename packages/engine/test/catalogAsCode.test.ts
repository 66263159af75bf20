import { type CatalogFileInput, TollgateError } from "@tollgate/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../src/index";
import { admin, live, openTestEngine, type TestEngine } from "./testEngine";

const opened: TestEngine[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.database.close()));
});

/** For tests that change nothing (which some of them assert): one demo database. */
let shared: TestEngine;
beforeAll(async () => {
  shared = await openTestEngine();
  await seedDemo(shared.engine);
});
afterAll(() => shared.database.close());

/** A fresh database with the demo catalog and customers. */
async function demo(): Promise<TestEngine> {
  const t = await openTestEngine();
  opened.push(t);
  await seedDemo(t.engine);
  return t;
}

type Plan = NonNullable<CatalogFileInput["plans"]>[number];
const planIn = (file: CatalogFileInput, key: string): Plan => {
  const plan = file.plans?.find((p) => p.key === key);
  if (!plan) throw new Error(`no plan ${key} in the file`);
  return plan;
};

async function auditCount(t: TestEngine): Promise<number> {
  return (await t.engine.audit.list({ limit: 10_000 })).data.length;
}

async function refusal(promise: Promise<unknown>): Promise<TollgateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TollgateError);
  return error as TollgateError;
}

describe("catalog as code", () => {
  it("the exported demo catalog diffs empty against its own database, and lists no custom plan", async () => {
    const t = shared;
    const file = await t.engine.catalog.export();
    expect(file.tollgate).toBe(1);
    expect(file.plans?.map((p) => p.key)).toEqual([
      "enterprise",
      "free",
      "personal_pro",
      "personal_standard",
      "standard",
      "team_pro",
      "team_standard",
    ]);
    expect(file.features).toHaveLength(14);

    const { changes, applied, dryRun } = await t.engine.catalog.diff(JSON.parse(JSON.stringify(file)));
    expect({ applied, dryRun, empty: changes.empty }).toEqual({ applied: false, dryRun: true, empty: true });
    expect(changes.features).toEqual({ added: [], changed: [], unlisted: [] });
    expect(changes.plans).toEqual({ added: [], changed: [], archived: [] });
  });

  it("applying the exported catalog changes nothing and writes no audit entry; a changed file applied twice changes once", async () => {
    const t = await demo();
    const file = await t.engine.catalog.export();
    const before = await auditCount(t);
    expect((await t.engine.catalog.apply(file, admin("no-op"))).applied).toBe(false);
    expect(await auditCount(t)).toBe(before);

    planIn(file, "standard").basePrice = 3900;
    const first = await t.engine.catalog.apply(file, admin("Standard to $39"));
    expect(first.applied).toBe(true);
    const afterFirst = await auditCount(t);
    // One version published and one summary of the apply.
    expect(afterFirst - before).toBe(2);

    const second = await t.engine.catalog.apply(file, admin("Standard to $39, again"));
    expect(second).toMatchObject({ applied: false, changes: { empty: true } });
    expect(await auditCount(t)).toBe(afterFirst);
    expect((await t.engine.plans.get("standard")).versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("a changed limit publishes a new version, shows the field before and after, and lists the customers who keep the old one", async () => {
    const t = await demo();
    await t.engine.customers.upsert("test", { id: "sandbox_co" }, { id: "test", role: "system" });
    await t.engine.subscriptions.assign(
      { env: "test", customerId: "sandbox_co" },
      { planKey: "standard" },
      admin(),
    );
    const file = await t.engine.catalog.export();
    const standard = planIn(file, "standard") as { entitlements: Record<string, { limit?: number }> };
    standard.entitlements.workflow_runs = { ...standard.entitlements.workflow_runs, limit: 20_000 };

    const { changes } = await t.engine.catalog.diff(file);
    expect(changes.empty).toBe(false);
    expect(changes.plans.changed).toEqual([
      {
        key: "standard",
        fromVersion: 1,
        toVersion: 2,
        changes: [{ path: "entitlements.workflow_runs.limit", before: 10_000, after: 20_000 }],
        customers: [
          { customerId: "globex", env: "live", planKey: "standard", version: 1, effect: "keeps_version" },
          { customerId: "sandbox_co", env: "test", planKey: "standard", version: 1, effect: "keeps_version" },
        ],
      },
    ]);
    expect(changes.note).toMatch(/pins a plan version/);

    await t.engine.catalog.apply(file, admin("more workflow runs on Standard"));
    const globex = await t.engine.entitlements.get(live("globex"));
    expect(globex.plan?.version).toBe(1);
    expect(globex.entitlements.find((e) => e.feature === "workflow_runs")?.limit).toBe(10_000);
    await t.engine.customers.upsert("live", { id: "newco" }, { id: "test", role: "system" });
    await t.engine.subscriptions.assign(live("newco"), { planKey: "standard" }, admin());
    const newco = await t.engine.entitlements.get(live("newco"));
    expect(newco.plan?.version).toBe(2);
    expect(newco.entitlements.find((e) => e.feature === "workflow_runs")?.limit).toBe(20_000);
  });

  it("a plan left out of the file is archived: its subscribers keep it, nobody new gets it", async () => {
    const t = await demo();
    const exported = await t.engine.catalog.export();
    const file = { ...exported, plans: exported.plans?.filter((p) => p.key !== "free") };

    const { changes } = await t.engine.catalog.diff(file);
    expect(changes.plans.archived).toEqual([
      {
        key: "free",
        version: 1,
        customers: [
          { customerId: "initech", env: "live", planKey: "free", version: 1, effect: "keeps_archived_plan" },
        ],
        provisioningRules: [],
      },
    ]);

    await t.engine.catalog.apply(file, admin("Free is retired"));
    expect((await t.engine.plans.get("free")).plan.archivedAt).not.toBeNull();
    expect((await t.engine.entitlements.get(live("initech"))).plan?.key).toBe("free");
    await t.engine.customers.upsert("live", { id: "latecomer" }, { id: "test", role: "system" });
    const error = await refusal(
      t.engine.subscriptions.assign(live("latecomer"), { planKey: "free" }, admin()),
    );
    expect(error.code).toBe("plan_archived");
    expect((await t.engine.catalog.diff(file)).changes.empty).toBe(true);
    const again = await refusal(t.engine.catalog.apply(exported, admin("bring Free back")));
    expect({ code: again.code, param: again.param }).toEqual({ code: "plan_archived", param: "plans.1.key" });
  });

  it("archiving a plan a provisioning rule assigns names the rule's domain", async () => {
    const t = shared;
    const file = await t.engine.catalog.export();
    file.plans = file.plans?.filter((p) => p.key !== "team_pro");
    const [archived] = (await t.engine.catalog.diff(file)).changes.plans.archived;
    expect(archived?.provisioningRules).toEqual(["tollgate.dev"]);
    expect(archived?.customers.map((c) => c.customerId)).toEqual(["acme", "emp_ada"]);
  });

  it("a trial that falls back to a changed plan is listed as moving, and moves to the new version when it ends", async () => {
    const t = await demo();
    const file = await t.engine.catalog.export();
    file.plans?.push({
      key: "standard_trial",
      name: "Standard trial",
      kind: "trial",
      trial: { days: 14, fallbackPlan: "standard" },
    });
    await t.engine.catalog.apply(file, admin("a trial of Standard"));
    await t.engine.customers.upsert("live", { id: "trier" }, { id: "test", role: "system" });
    await t.engine.subscriptions.assign(live("trier"), { planKey: "standard_trial" }, admin());

    planIn(file, "standard").basePrice = 3900;
    const [standard] = (await t.engine.catalog.diff(file)).changes.plans.changed;
    expect(standard?.customers).toEqual([
      { customerId: "globex", env: "live", planKey: "standard", version: 1, effect: "keeps_version" },
      {
        customerId: "trier",
        env: "live",
        planKey: "standard_trial",
        version: 1,
        effect: "trial_falls_back_to_new_version",
        toVersion: 2,
        at: new Date("2026-06-29T12:00:00Z"),
      },
    ]);

    await t.engine.catalog.apply(file, admin("Standard to $39"));
    t.clock.set("2026-06-29T12:00:01Z");
    await t.engine.scheduler.runDue();
    const trier = await t.engine.entitlements.get(live("trier"));
    expect({ key: trier.plan?.key, version: trier.plan?.version }).toEqual({ key: "standard", version: 2 });
  });

  it("adds features and plans (a new plan's trial may fall back to another new plan) and renames a feature", async () => {
    const t = await demo();
    const file = await t.engine.catalog.export();
    file.features?.push({ key: "exports", name: "Exports", type: "metered", unit: "export" });
    const sso = file.features?.find((f) => f.key === "sso");
    if (sso) sso.name = "SAML single sign-on";
    file.plans?.push(
      { key: "pro_trial", name: "Pro trial", kind: "trial", trial: { days: 7, fallbackPlan: "pro" } },
      { key: "pro", name: "Pro", basePrice: 9900, entitlements: { exports: { limit: 100 }, sso: {} } },
    );

    const { changes } = await t.engine.catalog.diff(file);
    expect(changes.features.added.map((f) => f.key)).toEqual(["exports"]);
    expect(changes.features.changed).toEqual([
      { key: "sso", changes: [{ path: "name", before: "Single sign-on", after: "SAML single sign-on" }] },
    ]);
    expect(changes.plans.added.map((p) => p.key)).toEqual(["pro_trial", "pro"]);

    await t.engine.catalog.apply(file, admin("Pro launch"));
    expect((await t.engine.plans.get("pro")).versions[0]?.entitlements.exports).toEqual({ limit: 100 });
    expect((await t.engine.features.list()).find((f) => f.key === "sso")?.name).toBe("SAML single sign-on");
    const actions = (await t.engine.audit.list({ limit: 20 })).data.map((e) => e.action);
    expect(actions.slice(0, 7).sort()).toEqual([
      "catalog.applied",
      "feature.created",
      "feature.updated",
      "plan.created",
      "plan.created",
      "plan.version_published",
      "plan.version_published",
    ]);
    expect((await t.engine.catalog.diff(await t.engine.catalog.export())).changes.empty).toBe(true);
  });

  it("promotes a catalog from one deployment to another as a reviewed diff", async () => {
    const staging = await demo();
    const production = await demo();
    const draft = await staging.engine.catalog.export();
    planIn(draft, "team_pro").basePrice = 5900;
    draft.plans = draft.plans?.filter((p) => p.key !== "personal_standard");
    await staging.engine.catalog.apply(draft, admin("new pricing, tried on staging"));

    const promoted = JSON.parse(JSON.stringify(await staging.engine.catalog.export()));
    const review = (await production.engine.catalog.diff(promoted)).changes;
    expect(review.plans.changed.map((p) => [p.key, p.changes])).toEqual([
      ["team_pro", [{ path: "basePrice", before: 4900, after: 5900 }]],
    ]);
    expect(review.plans.archived.map((p) => p.key)).toEqual(["personal_standard"]);

    await production.engine.catalog.apply(promoted, admin("promote staging's catalog"));
    expect(await production.engine.catalog.export()).toEqual(await staging.engine.catalog.export());
    expect((await production.engine.catalog.diff(promoted)).changes.empty).toBe(true);
  });

  describe("a file that cannot be applied is refused whole, naming the field at fault", () => {
    const cases: Array<[string, (file: CatalogFileInput) => void, string, string]> = [
      ["an unknown format", (f) => Object.assign(f, { tollgate: 2 }), "parameter_invalid", "tollgate"],
      [
        "a misspelt field",
        (f) => Object.assign(planIn(f, "free"), { entitlments: {} }),
        "parameter_invalid",
        "plans.1.entitlments",
      ],
      [
        "a limit of the wrong type",
        (f) => Object.assign(planIn(f, "free"), { basePrice: "free" }),
        "parameter_invalid",
        "plans.1.basePrice",
      ],
      [
        "a feature no catalog has",
        (f) => Object.assign(planIn(f, "standard"), { entitlements: { teleport: {} } }),
        "unknown_feature",
        "plans.4.entitlements.teleport",
      ],
      [
        "a custom plan",
        (f) => Object.assign(planIn(f, "free"), { custom: true }),
        "parameter_invalid",
        "plans.1.custom",
      ],
      [
        "a custom plan's key",
        (f) => f.plans?.push({ key: "cronicorn_custom", name: "Cronicorn" }),
        "plan_is_custom",
        "plans.8.key",
      ],
      [
        "a plan listed twice",
        (f) => f.plans?.push({ key: "free", name: "Free again" }),
        "parameter_invalid",
        "plans.8.key",
      ],
      [
        "a trial falling back to a plan not in the file",
        (f) => Object.assign(planIn(f, "free"), { trial: { days: 7, fallbackPlan: "cronicorn_custom" } }),
        "parameter_invalid",
        "plans.1.trial.fallbackPlan",
      ],
      [
        "a feature whose type changes",
        (f) => Object.assign(f.features?.[0] ?? {}, { type: "config" }),
        "feature_immutable",
        "features.0.type",
      ],
    ];
    for (const [name, spoil, code, param] of cases) {
      it(name, async () => {
        const t = shared;
        const file = await t.engine.catalog.export();
        file.plans?.push({ key: "brand_new", name: "Brand new" });
        spoil(file);
        const exported = await t.engine.catalog.export();
        const audit = await auditCount(t);
        for (const run of [
          () => t.engine.catalog.diff(file),
          () => t.engine.catalog.apply(file, admin("bad")),
        ]) {
          const error = await refusal(run());
          expect({ type: error.type, code: error.code, param: error.param }).toEqual({
            type: "unprocessable",
            code,
            param,
          });
        }
        expect(await t.engine.catalog.export()).toEqual(exported);
        expect(await auditCount(t)).toBe(audit);
      });
    }

    it("an apply without a reason", async () => {
      const t = shared;
      const file = await t.engine.catalog.export();
      const error = await refusal(t.engine.catalog.apply(file, admin(" ")));
      expect({ code: error.code, param: error.param }).toEqual({
        code: "parameter_missing",
        param: "reason",
      });
    });
  });
});
