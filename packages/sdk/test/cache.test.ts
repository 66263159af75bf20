import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../src/index";
import { droppableFetch } from "./droppableFetch";
import { countingFetch, DEMO_KEYS, eventually, type LiveServer, startLiveServer } from "./liveServer";

let server: LiveServer;
const clients: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

function newClient(options: Partial<Parameters<typeof createClient>[0]> = {}) {
  const client = createClient({ baseUrl: server.baseUrl, apiKey: DEMO_KEYS.liveSecret, ...options });
  clients.push(client);
  return client;
}

async function setOverrides(customerId: string, overrides: unknown) {
  const answer = await server.admin("PUT", `/v1/admin/customers/${customerId}/overrides`, {
    overrides,
    reason: "sdk cache test",
  });
  expect(answer.status).toBe(200);
}

describe("the entitlement cache", () => {
  it("answers allows, limit, remaining and value in process, with no network call", async () => {
    const counter = countingFetch();
    const client = newClient({ fetch: counter.fetch });
    const acme = client.customer("acme");
    await acme.ready();
    const before = { ...counter.counts };
    expect(acme.status()).toBe("fresh");
    for (let i = 0; i < 1000; i++) expect(acme.allows("sla_custom")).toBe(true);
    expect(acme.allows("infra_dedicated")).toBe(true);
    expect(acme.allows("no_such_feature")).toBe(false);
    expect(acme.limit("ai_tokens")).toBe(1_000_000);
    expect(acme.remaining("ai_tokens")).toBe(1_000_000);
    expect(acme.limit("sso")).toBeNull();
    expect(acme.value("support.tier")).toBe("priority");
    expect(acme.value("max_projects")).toBe(200);
    expect(acme.view()?.plan?.label).toBe("Acme Corp Enterprise");
    expect(client.customer("acme").allows("sso")).toBe(true);
    expect(counter.counts).toEqual(before);
  });

  it("refuses a blocking metered feature once the cached remaining cannot cover the quantity", async () => {
    const client = newClient();
    const initech = client.customer("initech");
    await initech.ready();
    expect(initech.entitlement("workflow_runs")).toMatchObject({ enforcement: "block", limit: 1000 });
    expect(initech.allows("workflow_runs", 1000)).toBe(true);
    expect(initech.allows("workflow_runs", 1001)).toBe(false);
  });

  it("a track through the client moves the cached usage at once", async () => {
    const client = newClient();
    const initech = client.customer("initech");
    await initech.ready();
    expect(initech.remaining("storage.gb")).toBe(1);
    await client.track({ customerId: "initech", feature: "storage.gb", quantity: 1, id: "cache-trk-1" });
    expect(initech.remaining("storage.gb")).toBe(0);
    expect(initech.allows("storage.gb")).toBe(false);
  });

  it("an override set through the admin API reaches the cache within 1 s through the stream", async () => {
    const client = newClient();
    const acme = client.customer("acme");
    await acme.ready();
    await setOverrides("acme", {
      basePlanId: "team_pro",
      additionalFeatures: ["infra_dedicated", "sla_custom"],
      entitlements: { ai_tokens: { limit: 2_000_000 } },
    });
    expect(await eventually(() => acme.limit("ai_tokens") === 2_000_000)).toBe(true);
  });

  it("a plan assigned through the admin API reaches the cache within 1 s", async () => {
    const client = newClient();
    const globex = client.customer("globex");
    await globex.ready();
    const planBefore = globex.view()?.plan?.key;
    expect(planBefore).not.toBe("team_pro");
    const assigned = await server.admin("PUT", "/v1/admin/customers/globex/subscription", {
      planKey: "team_pro",
      effectiveAt: new Date().toISOString(),
      reason: "sdk cache test",
    });
    expect(assigned.status).toBe(200);
    expect(await eventually(() => globex.view()?.plan?.key === "team_pro")).toBe(true);
    expect(globex.allows("sso")).toBe(true);
  });

  it("after a drop, the stream reconnects with Last-Event-ID and the change made meanwhile arrives", async () => {
    const network = droppableFetch();
    const client = newClient({ fetch: network.fetch });
    const cronicorn = client.customer("cronicorn");
    await cronicorn.ready();
    await setOverrides("cronicorn", { entitlements: { endpoints: { limit: 600 } } });
    expect(await eventually(() => cronicorn.limit("endpoints") === 600)).toBe(true);

    network.drop();
    await setOverrides("cronicorn", { entitlements: { endpoints: { limit: 700 } } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(cronicorn.limit("endpoints")).toBe(600);
    network.reconnect();

    expect(await eventually(() => cronicorn.limit("endpoints") === 700)).toBe(true);
    const [first, ...reconnects] = network.streamRequests;
    expect(first?.get("last-event-id")).toBeNull();
    expect(reconnects.at(-1)?.get("last-event-id")).toMatch(/^\d+$/);
  });

  it("polling keeps the cache current when configured instead of the stream", async () => {
    const counter = countingFetch();
    const client = newClient({ fetch: counter.fetch, refresh: { pollMs: 100 } });
    const advisor = client.customer("advisor_grace");
    await advisor.ready();
    const before = advisor.limit("ai_tokens");
    await setOverrides("advisor_grace", { entitlements: { ai_tokens: { limit: 4242 } } });
    expect(await eventually(() => advisor.limit("ai_tokens") === 4242)).toBe(true);
    expect(before).not.toBe(4242);
    expect(counter.counts.stream).toBe(0);
  });
});
