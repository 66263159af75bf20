import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PlanTerms } from "@tollgate/core";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, live, openTestEngine, type TestEngine } from "../testEngine";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let t: TestEngine;
let server: Server;
let base = "";
const received: Received[] = [];
/** Status codes to answer, per path, in turn; 200 once a path's list runs out. */
const answers = new Map<string, number[]>();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, headers: request.headers, body });
      response.statusCode = answers.get(path)?.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await openTestEngine("2026-06-15T12:00:00Z");
  await t.engine.features.create({ key: "api", name: "API", type: "boolean" }, admin());
  await t.engine.plans.create(
    { key: "basic", custom: false, env: "live" },
    PlanTerms.parse({ name: "Basic", basePrice: 1000, entitlements: { api: {} } }),
    admin(),
  );
  for (const id of ["c1", "c2", "c3"]) await t.engine.customers.upsert("live", { id }, admin().actor);
});
afterAll(async () => {
  await t.database.close();
  await new Promise((resolve) => server.close(resolve));
});

const at = (path: string) => received.filter((r) => r.path === path);

describe("webhook delivery", () => {
  it("sends each domain event once to each matching endpoint, signed per Standard Webhooks", async () => {
    const all = await t.engine.webhooks.create({ url: `${base}/all`, eventTypes: [], env: "live" }, admin());
    await t.engine.webhooks.create(
      { url: `${base}/trials`, eventTypes: ["trial_expired"], env: "live" },
      admin(),
    );
    await t.engine.webhooks.create({ url: `${base}/sandbox`, eventTypes: [], env: "test" }, admin());
    expect(all.secret).toMatch(/^whsec_/);
    await t.engine.subscriptions.assign(live("c1"), { planKey: "basic" }, admin("first plan"));

    const summary = await t.engine.webhooks.deliver();
    expect(summary).toMatchObject({ dispatched: 1, delivered: 1, retrying: 0, failed: 0 });
    const [message] = at("/all");
    expect(message).toBeDefined();
    const verified = new Webhook(all.secret).verify(message?.body ?? "", {
      "webhook-id": String(message?.headers["webhook-id"]),
      "webhook-timestamp": String(message?.headers["webhook-timestamp"]),
      "webhook-signature": String(message?.headers["webhook-signature"]),
    });
    expect(verified).toMatchObject({
      type: "plan_changed",
      data: { customerId: "c1", env: "live", to: { planKey: "basic", version: 1 }, change: "new" },
    });
    expect(at("/trials")).toHaveLength(0);
    expect(at("/sandbox")).toHaveLength(0);

    expect(await t.engine.webhooks.deliver()).toMatchObject({ dispatched: 0, delivered: 0 });
    expect(at("/all")).toHaveLength(1);
  });

  it("rejects a tampered payload: the signature covers the body", async () => {
    const [endpoint] = await t.engine.webhooks.list();
    const secret = (await t.database.db.execute(
      sql`SELECT secret FROM webhook_endpoints WHERE id = ${endpoint?.id}`,
    )) as unknown as {
      rows: { secret: string }[];
    };
    const [message] = at("/all");
    const headers = {
      "webhook-id": String(message?.headers["webhook-id"]),
      "webhook-timestamp": String(message?.headers["webhook-timestamp"]),
      "webhook-signature": String(message?.headers["webhook-signature"]),
    };
    const tampered = (message?.body ?? "").replace('"basic"', '"enterprise"');
    expect(() => new Webhook(secret.rows[0]?.secret ?? "").verify(tampered, headers)).toThrow();
  });

  it("retries an endpoint that fails with backoff, logs every attempt, and delivers when it answers", async () => {
    const flaky = await t.engine.webhooks.create(
      { url: `${base}/flaky`, eventTypes: [], env: "live" },
      admin(),
    );
    answers.set("/flaky", [500, 503]);
    await t.engine.subscriptions.assign(live("c2"), { planKey: "basic" }, admin("second"));
    expect((await t.engine.webhooks.deliver()).retrying).toBe(1);
    expect((await t.engine.webhooks.deliver()).retrying).toBe(0); // not due for 30 s
    t.clock.advance(30_000);
    expect((await t.engine.webhooks.deliver()).retrying).toBe(1);
    t.clock.advance(59_000);
    expect((await t.engine.webhooks.deliver()).delivered).toBe(0); // the second wait is 60 s
    t.clock.advance(1_000);
    expect((await t.engine.webhooks.deliver()).delivered).toBe(1);

    const [log] = await t.engine.webhooks.deliveries(flaky.id);
    expect(log).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 200 });
    expect(log?.log.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(at("/flaky").map((r) => r.headers["webhook-id"])).toEqual(
      Array(3).fill(at("/flaky")[0]?.headers["webhook-id"]),
    );
    await expect(t.database.db.execute(sql`UPDATE webhook_attempts SET status = 200`)).rejects.toThrow();
  });

  it("gives a delivery up after 8 attempts, and a disabled endpoint receives nothing more", async () => {
    const dead = await t.engine.webhooks.create(
      { url: `${base}/dead`, eventTypes: [], env: "live" },
      admin(),
    );
    answers.set("/dead", Array(8).fill(500));
    await t.engine.subscriptions.assign(live("c3"), { planKey: "basic" }, admin("third"));
    for (let i = 0; i < 8; i++) {
      await t.engine.webhooks.deliver();
      t.clock.advance(6 * 3_600_000);
    }
    const [log] = await t.engine.webhooks.deliveries(dead.id);
    expect(log).toMatchObject({ status: "failed", attempts: 8, lastStatus: 500 });

    await t.engine.webhooks.disable(dead.id, admin("endpoint retired"));
    await t.engine.subscriptions.cancel(live("c3"), {}, admin("churned"));
    await t.engine.webhooks.deliver();
    expect(at("/dead")).toHaveLength(8);
  });
});
