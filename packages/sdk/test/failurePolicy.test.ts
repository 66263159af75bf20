import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, TollgateApiError } from "../src/index";
import { countingFetch, DEMO_KEYS, eventually, type LiveServer, startLiveServer } from "./liveServer";

const STALE_AFTER_MS = 60_000;

/** A clock the test moves by hand, for staleness. */
let now = Date.now();
const clock = () => now;

let server: LiveServer;
const clients: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

function newClient(failure: "open" | "closed") {
  const counter = countingFetch();
  const stream = { drops: 0 };
  const client = createClient({
    onError: () => {
      stream.drops++;
    },
    baseUrl: server.baseUrl,
    apiKey: DEMO_KEYS.liveSecret,
    fetch: counter.fetch,
    failure,
    staleAfterMs: STALE_AFTER_MS,
    clock,
  });
  clients.push(client);
  return { client, counter, stream };
}

describe("the failure policy, with the server stopped", () => {
  it("closed: refuses an uncached customer, serves a cached answer until stale, then refuses", async () => {
    const { client, stream } = newClient("closed");
    const { client: openClient, stream: openStream } = newClient("open");
    const acme = client.customer("acme");
    const openAcme = openClient.customer("acme");
    await Promise.all([acme.ready(), openAcme.ready()]);
    expect(openAcme.allows("no_such_feature")).toBe(false);

    await server.stop();
    expect(await eventually(() => stream.drops > 0 && openStream.drops > 0)).toBe(true);

    const stranger = client.customer("initech");
    await expect(stranger.ready()).rejects.toBeInstanceOf(TollgateApiError);
    expect(stranger.status()).toBe("unavailable");
    expect(stranger.allows("ai_chat")).toBe(false);
    expect(stranger.limit("workflow_runs")).toBeUndefined();

    const openStranger = openClient.customer("initech");
    expect(openStranger.allows("ai_chat")).toBe(true);
    expect(openStranger.allows("anything")).toBe(true);

    now += STALE_AFTER_MS - 1_000;
    expect(acme.status()).toBe("fresh");
    expect(acme.allows("sla_custom")).toBe(true);
    expect(acme.allows("no_such_feature")).toBe(false);
    expect(acme.value("support.tier")).toBe("priority");

    now += 2_000;
    expect(acme.status()).toBe("stale");
    expect(acme.allows("sla_custom")).toBe(false);
    expect(acme.value("support.tier")).toBeUndefined();
    expect(openAcme.allows("no_such_feature")).toBe(true);

    await server.restart();
    expect(await eventually(() => acme.status() === "fresh", 3_000)).toBe(true);
    expect(acme.allows("sla_custom")).toBe(true);
    expect(await eventually(() => stranger.status() === "fresh", 7_000)).toBe(true);
  });

  it("allows() makes no network call even when it falls back to the policy", async () => {
    const { client, counter, stream } = newClient("closed");
    const globex = client.customer("globex");
    await globex.ready();
    await server.stop();
    expect(await eventually(() => stream.drops > 0)).toBe(true);
    now += STALE_AFTER_MS * 2;
    const before = counter.counts.other;
    for (let i = 0; i < 100; i++) expect(globex.allows("ai_chat")).toBe(false);
    expect(counter.counts.other).toBe(before);
    await server.restart();
  });
});
