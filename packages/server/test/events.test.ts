import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_KEYS, openTestApp, type TestApp } from "./testApp";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

/** Reads an event stream until `done` says so (or 5 s pass), then closes it. */
async function readStream(
  path: string,
  done: (text: string) => boolean,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const response = await t.app.request(path, {
    headers: { authorization: `Bearer ${DEMO_KEYS.liveSecret}`, ...headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 5_000;
  while (!done(text) && Date.now() < deadline) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value);
  }
  controller.abort();
  await reader.cancel().catch(() => {});
  return text;
}

describe("GET /v1/events/stream", () => {
  it("replays the environment's domain events from a position, with their outbox seq as id", async () => {
    const text = await readStream("/v1/events/stream?after=0&customerId=cronicorn", (s) =>
      /\nid: \d+\n/.test(s),
    );
    expect(text).toMatch(
      /event: plan_changed\ndata: \{"type":"plan_changed","customerId":"cronicorn".*\nid: \d+\n/,
    );
    expect(text).not.toContain('"customerId":"acme"');
  });

  it("delivers an event that happens while the stream is open", async () => {
    const reading = readStream("/v1/events/stream?customerId=globex", (s) =>
      s.includes("event: plan_changed"),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const changed = await t.call("PUT", "/v1/admin/customers/globex/subscription", {
      body: { planKey: "enterprise", reason: "upsold" },
    });
    expect(changed.status).toBe(200);
    const text = await reading;
    expect(text).toContain('"to":{"planKey":"enterprise"');
  });

  it("streams an override change as plan_adjusted", async () => {
    const reading = readStream("/v1/events/stream?customerId=umbrella", (s) =>
      s.includes("event: plan_adjusted"),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    const set = await t.call("PUT", "/v1/admin/customers/umbrella/overrides", {
      body: { overrides: { seatLimit: 40 }, reason: "seat deal" },
    });
    expect(set.status).toBe(200);
    expect(await reading).toContain('"reason":"seat deal"');
  });

  it("refuses a secret key of the other environment", async () => {
    const response = await t.app.request("/v1/events/stream?env=test", {
      headers: { authorization: `Bearer ${DEMO_KEYS.liveSecret}` },
    });
    expect(response.status).toBe(403);
  });
});

describe("webhook endpoints (admin)", () => {
  it("registers an endpoint with a reason, answers its secret once, and lists it without", async () => {
    const created = await t.call("POST", "/v1/admin/webhook-endpoints", {
      body: { url: "https://product.example/hooks", eventTypes: ["trial_expired"], reason: "product hooks" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ env: "live", enabled: true, eventTypes: ["trial_expired"] });
    expect(created.body.secret).toMatch(/^whsec_/);
    const list = await t.call("GET", "/v1/admin/webhook-endpoints", { key: "viewer" });
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0].secret).toBeUndefined();
    const audit = await t.call("GET", "/v1/admin/audit?action=webhook_endpoint.created");
    expect(audit.body.data[0]).toMatchObject({ reason: "product hooks" });

    const disabled = await t.call("DELETE", `/v1/admin/webhook-endpoints/${created.body.id}`, {
      body: { reason: "moved" },
    });
    expect(disabled.body).toMatchObject({ enabled: false });
    expect(
      (await t.call("GET", `/v1/admin/webhook-endpoints/${created.body.id}/deliveries`)).body.data,
    ).toEqual([]);
  });

  it("names the field at fault, refuses a viewer, and changes nothing", async () => {
    const before = await t.snapshot();
    const noReason = await t.call("POST", "/v1/admin/webhook-endpoints", {
      body: { url: "https://x.example" },
    });
    expect([noReason.status, noReason.body.error.param]).toEqual([400, "reason"]);
    const badUrl = await t.call("POST", "/v1/admin/webhook-endpoints", {
      body: { url: "ftp://x", reason: "r" },
    });
    expect(badUrl.body.error.param).toBe("url");
    const badType = await t.call("POST", "/v1/admin/webhook-endpoints", {
      body: { url: "https://x.example", eventTypes: ["nope"], reason: "r" },
    });
    expect(badType.body.error.param).toBe("eventTypes.0");
    const viewer = await t.call("POST", "/v1/admin/webhook-endpoints", {
      key: "viewer",
      body: { url: "https://x.example", reason: "r" },
    });
    expect(viewer.status).toBe(403);
    const unknown = await t.call("DELETE", "/v1/admin/webhook-endpoints/we_nope", { body: { reason: "r" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "webhook_endpoint_not_found"]);
    expect(await t.snapshot()).toEqual(before);
  });
});
