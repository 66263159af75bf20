import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, TollgateApiError } from "../src/index";
import { DEMO_KEYS, type LiveServer, startLiveServer } from "./liveServer";

let server: LiveServer;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  server = await startLiveServer();
  client = createClient({ baseUrl: server.baseUrl, apiKey: DEMO_KEYS.liveSecret });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function apiError(promise: Promise<unknown>): Promise<TollgateApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TollgateApiError);
  return error as TollgateApiError;
}

describe("the HTTP calls", () => {
  it("check answers the server's decision and records nothing", async () => {
    const decision = await client.check("initech", "automation_triggers", 2);
    expect(decision).toMatchObject({ allowed: true, limit: 5, used: 0, remaining: 5, enforcement: "block" });
    expect((await client.check("initech", "automation_triggers")).used).toBe(0);
  });

  it("track records once per id and answers the decision", async () => {
    const event = { customerId: "initech", feature: "automation_triggers", quantity: 3, id: "trk-1" };
    const first = await client.track(event);
    expect(first).toMatchObject({
      recorded: true,
      duplicate: false,
      decision: { allowed: true, used: 3, remaining: 2 },
    });
    const again = await client.track(event);
    expect(again).toMatchObject({ duplicate: true });
    expect((await client.check("initech", "automation_triggers")).used).toBe(3);
  });

  it("a track past a blocking limit throws a typed 402 limit_exceeded carrying the decision", async () => {
    const error = await apiError(
      client.track({ customerId: "initech", feature: "automation_triggers", quantity: 10, id: "trk-over" }),
    );
    expect(error).toMatchObject({ status: 402, code: "limit_exceeded", type: "invalid_request" });
    expect(error.decision).toMatchObject({ allowed: false, reason: "limit_exceeded", limit: 5 });
  });

  it("entitlements answers the customer's view, with explain on request", async () => {
    const view = await client.entitlements("acme", { explain: true });
    expect(view.plan).toMatchObject({ key: "team_pro", label: "Acme Corp Enterprise" });
    expect(view.entitlements.find((e) => e.feature === "sla_custom")).toMatchObject({
      enabled: true,
      source: { kind: "override" },
    });
  });

  it("events ingests a batch without enforcement, each id once", async () => {
    const batch = [1, 2, 3].map((n) => ({
      customerId: "globex",
      feature: "workflow_runs",
      quantity: 1,
      id: `evt-${n}`,
    }));
    expect(await client.events(batch)).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    expect(await client.events(batch)).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it("errors carry the API's type, code, message, param and status", async () => {
    const missing = await apiError(client.entitlements("nobody"));
    expect(missing).toMatchObject({ status: 404, type: "not_found" });
    expect(missing.code).toMatch(/not_found/);
    const invalid = await apiError(client.check("acme", "", 1));
    expect(invalid).toMatchObject({ status: 400, type: "invalid_request", param: "feature" });
    const badKey = createClient({ baseUrl: server.baseUrl, apiKey: "tg_wrong" });
    expect(await apiError(badKey.check("acme", "sso"))).toMatchObject({
      status: 401,
      type: "authentication",
    });
  });

  it("an unreachable server is a typed network error (status 0)", async () => {
    const nowhere = createClient({ baseUrl: "http://127.0.0.1:9", apiKey: DEMO_KEYS.liveSecret });
    const error = await apiError(nowhere.check("acme", "sso"));
    expect(error).toMatchObject({ status: 0, code: "unreachable", isNetworkError: true });
  });
});
