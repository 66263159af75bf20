import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallOptions, openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const reason = "idempotency test";

async function auditCount(action: string): Promise<number> {
  const r = await t.call("GET", `/v1/admin/audit?action=${action}&limit=500`);
  expect(r.body.has_more).toBe(false);
  return r.body.data.length;
}

const withKey = (key: string, options: CallOptions = {}): CallOptions => ({
  ...options,
  headers: { ...options.headers, "Idempotency-Key": key },
});

describe("Idempotency-Key", () => {
  it("the same key with the same body returns the first response and writes once", async () => {
    const body = { key: "idem_feature", name: "Idem", type: "boolean", reason };
    const auditBefore = await auditCount("feature.created");
    const first = await t.call("POST", "/v1/admin/features", withKey("idem-1", { body }));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const afterFirst = await t.snapshot();

    const second = await t.call("POST", "/v1/admin/features", withKey("idem-1", { body }));
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");

    expect(await auditCount("feature.created")).toBe(auditBefore + 1);
    expect(await t.snapshot()).toEqual(afterFirst);
    const features = await t.call("GET", "/v1/admin/features");
    expect(features.body.data.filter((f: { key: string }) => f.key === "idem_feature")).toHaveLength(1);
  });

  it("without a key, the same request is a new request (here: a 409 because the feature exists)", async () => {
    const body = { key: "idem_feature", name: "Idem", type: "boolean", reason };
    const r = await t.call("POST", "/v1/admin/features", { body });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("feature_exists");
  });

  it("the same key with a different body → 409 idempotency_key_reused, nothing written", async () => {
    const before = await t.snapshot();
    const r = await t.call(
      "POST",
      "/v1/admin/features",
      withKey("idem-1", { body: { key: "idem_other", name: "Other", type: "boolean", reason } }),
    );
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ type: "conflict", code: "idempotency_key_reused" });
    expect(r.headers.get("idempotent-replayed")).toBeNull();
    expect(await t.snapshot()).toEqual(before);
  });

  it("the same key and body on another route → 409", async () => {
    const before = await t.snapshot();
    const body = { key: "idem_feature", name: "Idem", type: "boolean", reason };
    const r = await t.call("POST", "/v1/admin/provisioning-rules", withKey("idem-1", { body }));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("idempotency_key_reused");
    expect(await t.snapshot()).toEqual(before);
  });

  it("the same key with a different query string → 409, not the other request's answer", async () => {
    const path = "/v1/admin/customers/acme/overrides";
    const first = await t.call("DELETE", `${path}?env=test&reason=clear`, withKey("idem-query"));
    expect(first.status).toBe(404); // acme has no test-environment twin
    const before = await t.snapshot();
    const second = await t.call("DELETE", `${path}?env=live&reason=clear`, withKey("idem-query"));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("idempotency_key_reused");
    expect(await t.snapshot()).toEqual(before);
    const overrides = await t.call("GET", `${path}?env=live`);
    expect(overrides.body.current).not.toBeNull();
  });

  it("a refused request is replayed as refused, without running again", async () => {
    const body = { overrides: { seatLimit: -5 }, reason };
    const first = await t.call("PUT", "/v1/admin/customers/initech/overrides", withKey("idem-bad", { body }));
    expect(first.status).toBe(400);
    const second = await t.call(
      "PUT",
      "/v1/admin/customers/initech/overrides",
      withKey("idem-bad", { body }),
    );
    expect(second.status).toBe(400);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a PUT replay does not write a second override set or audit entry", async () => {
    const body = { overrides: { seatLimit: 4, planLabel: "Initech Idem" }, reason };
    const auditBefore = await auditCount("overrides.set");
    const first = await t.call("PUT", "/v1/admin/customers/initech/overrides", withKey("idem-put", { body }));
    expect(first.status).toBe(200);
    t.clock.advance(60_000);
    const second = await t.call(
      "PUT",
      "/v1/admin/customers/initech/overrides",
      withKey("idem-put", { body }),
    );
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await auditCount("overrides.set")).toBe(auditBefore + 1);
    const overrides = await t.call("GET", "/v1/admin/customers/initech/overrides");
    expect(overrides.body.history).toHaveLength(1);
  });

  it("a public upsert replays its 201, while a new request for the same id is a 200 update", async () => {
    const body = { id: "idem_customer", name: "Idem Co" };
    const first = await t.call("POST", "/v1/customers", withKey("idem-cust", { key: "liveSecret", body }));
    expect(first.status).toBe(201);
    const replay = await t.call("POST", "/v1/customers", withKey("idem-cust", { key: "liveSecret", body }));
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const audit = await t.call("GET", "/v1/admin/audit?customer=idem_customer");
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(["customer.created"]);
    const update = await t.call("POST", "/v1/customers", { key: "liveSecret", body });
    expect(update.status).toBe(200);
  });

  it("keys are per API key: another key's identical Idempotency-Key is its own request", async () => {
    const body = { id: "idem_scoped", name: "Scoped" };
    const live = await t.call("POST", "/v1/customers", withKey("shared", { key: "liveSecret", body }));
    const test = await t.call("POST", "/v1/customers", withKey("shared", { key: "testSecret", body }));
    expect(live.status).toBe(201);
    expect(test.status).toBe(201);
    expect(live.body.env).toBe("live");
    expect(test.body.env).toBe("test");
    expect(test.headers.get("idempotent-replayed")).toBeNull();
  });

  it("concurrent requests with the same key write once", async () => {
    const body = { key: "idem_race", name: "Race", type: "boolean", reason };
    const auditBefore = await auditCount("feature.created");
    const answers = await Promise.all(
      [1, 2, 3].map(() => t.call("POST", "/v1/admin/features", withKey("idem-race", { body }))),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    for (const a of answers) expect(a.body).toEqual(answers[0]?.body);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(2);
    expect(await auditCount("feature.created")).toBe(auditBefore + 1);
  });

  it("concurrent PUTs with the same key write one override set", async () => {
    const body = { overrides: { seatLimit: 7 }, reason };
    const auditBefore = await auditCount("overrides.set");
    const historyBefore = (await t.call("GET", "/v1/admin/customers/globex/overrides")).body.history.length;
    const answers = await Promise.all(
      [1, 2].map(() =>
        t.call(
          "PUT",
          "/v1/admin/customers/globex/overrides",
          withKey("idem-race-put", { key: "operator", body }),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[1]?.body).toEqual(answers[0]?.body);
    expect(await auditCount("overrides.set")).toBe(auditBefore + 1);
    const history = (await t.call("GET", "/v1/admin/customers/globex/overrides")).body.history;
    expect(history).toHaveLength(historyBefore + 1);
  });

  it("GET ignores the header; a key over 255 characters → 400 param Idempotency-Key", async () => {
    const get = await t.call("GET", "/v1/customers/acme", withKey("idem-get", { key: "liveSecret" }));
    expect(get.status).toBe(200);
    expect(get.headers.get("idempotent-replayed")).toBeNull();
    const before = await t.snapshot();
    const long = await t.call(
      "POST",
      "/v1/customers",
      withKey("k".repeat(256), { key: "liveSecret", body: { id: "idem_long" } }),
    );
    expect(long.status).toBe(400);
    expect(long.body.error.param).toBe("Idempotency-Key");
    expect(await t.snapshot()).toEqual(before);
  });
});
