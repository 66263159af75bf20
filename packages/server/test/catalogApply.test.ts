import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

// biome-ignore lint/suspicious/noExplicitAny: a catalog file is arbitrary JSON to edit
type CatalogFile = { tollgate: number; features: any[]; plans: any[] };

async function exported(): Promise<CatalogFile> {
  const r = await t.call("GET", "/v1/admin/catalog", { key: "viewer" });
  expect(r.status).toBe(200);
  return r.body;
}

/** The demo catalog with Standard's workflow runs doubled. */
async function withMoreRuns(): Promise<CatalogFile> {
  const file = await exported();
  const standard = file.plans.find((p) => p.key === "standard");
  standard.entitlements.workflow_runs.limit = 20_000;
  return file;
}

describe("POST /v1/admin/catalog/apply", () => {
  it("the exported catalog, sent back as a dry run, is an empty diff", async () => {
    const r = await t.call("POST", "/v1/admin/catalog/apply?dryRun=true", { body: await exported() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ applied: false, dryRun: true, changes: { empty: true } });
  });

  it("a dry run answers the diff and the customers it touches, and changes nothing; a viewer may ask", async () => {
    const file = await withMoreRuns();
    const before = await t.snapshot();
    const r = await t.call("POST", "/v1/admin/catalog/apply?dryRun=true", { key: "viewer", body: file });
    expect(r.status).toBe(200);
    expect(r.body.applied).toBe(false);
    expect(r.body.changes.plans.changed).toEqual([
      {
        key: "standard",
        fromVersion: 1,
        toVersion: 2,
        changes: [{ path: "entitlements.workflow_runs.limit", before: 10_000, after: 20_000 }],
        customers: [
          { customerId: "globex", env: "live", planKey: "standard", version: 1, effect: "keeps_version" },
        ],
      },
    ]);
    expect(await t.snapshot()).toEqual(before);
  });

  it("applying needs the admin role and a reason", async () => {
    const file = await withMoreRuns();
    const before = await t.snapshot();
    for (const key of ["viewer", "operator"] as const) {
      const r = await t.call("POST", "/v1/admin/catalog/apply", { key, body: { ...file, reason: "mine" } });
      expect(r.status).toBe(403);
    }
    const noReason = await t.call("POST", "/v1/admin/catalog/apply", { body: file });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toMatchObject({ code: "parameter_missing", param: "reason" });
    expect(await t.snapshot()).toEqual(before);
  });

  it("a bad file is a 422 naming the field's path in the file, dry run or not, and changes nothing", async () => {
    const file = await withMoreRuns();
    file.plans[4].entitlements.teleport = { limit: 5 };
    file.features[0].type = "config";
    const spoilt: Array<[unknown, string, string]> = [
      [{ ...file, features: [], plans: [file.plans[4]] }, "unknown_feature", "plans.0.entitlements.teleport"],
      [file, "feature_immutable", "features.0.type"],
      [{ ...file, tollgate: "1" }, "parameter_invalid", "tollgate"],
      [
        { tollgate: 1, plans: [{ key: "x", name: "X", basePrice: -1 }] },
        "parameter_invalid",
        "plans.0.basePrice",
      ],
    ];
    const before = await t.snapshot();
    for (const [body, code, param] of spoilt) {
      for (const query of ["?dryRun=true", ""]) {
        const r = await t.call("POST", `/v1/admin/catalog/apply${query}`, {
          body: { ...(body as object), reason: "bad file" },
        });
        expect(r.status, JSON.stringify(r.body)).toBe(422);
        expect(r.body.error).toMatchObject({ type: "invalid_request", code, param });
      }
    }
    expect(await t.snapshot()).toEqual(before);
  });

  it("serves the catalog's JSON Schema without a key: the committed docs/catalog.schema.json", async () => {
    const r = await t.call("GET", "/v1/catalog.schema.json", { key: null });
    expect(r.status).toBe(200);
    const committed = resolve(import.meta.dirname, "../../../docs/catalog.schema.json");
    expect(r.body).toEqual(JSON.parse(readFileSync(committed, "utf8")));
  });

  it("the OpenAPI document lists the catalog routes and the dryRun query", async () => {
    const doc = (await t.call("GET", "/v1/openapi.json", { key: null })).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/admin/catalog", "/v1/admin/catalog/apply"]),
    );
    const apply = doc.paths["/v1/admin/catalog/apply"].post;
    expect(apply.parameters.map((p: { name: string }) => p.name)).toEqual(["dryRun"]);
    expect(apply.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/CatalogFile",
    });
  });
});

describe("applying a catalog over HTTP", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp();
  });
  afterAll(() => app.close());

  it("publishes the change once, audited with its reason; the same file again writes nothing", async () => {
    const file = (await app.call("GET", "/v1/admin/catalog")).body as CatalogFile;
    file.plans.find((p) => p.key === "standard").basePrice = 3900;
    const body = { ...file, reason: "Standard to $39" };

    const first = await app.call("POST", "/v1/admin/catalog/apply", { body });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ applied: true, dryRun: false, changes: { empty: false } });
    const audit = await app.call("GET", "/v1/admin/audit?limit=2");
    expect(audit.body.data.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ["catalog.applied", "Standard to $39"],
      ["plan.version_published", "Standard to $39"],
    ]);
    const plan = await app.call("GET", "/v1/admin/plans/standard");
    expect(
      plan.body.versions.map((v: { version: number; basePrice: number }) => [v.version, v.basePrice]),
    ).toEqual([
      [2, 3900],
      [1, 2900],
    ]);

    const afterFirst = await app.snapshot();
    const second = await app.call("POST", "/v1/admin/catalog/apply", { body: { ...body, reason: "again" } });
    expect(second.body).toMatchObject({ applied: false, changes: { empty: true } });
    expect(await app.snapshot()).toEqual(afterFirst);
  });
});
