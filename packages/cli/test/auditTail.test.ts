import type { AuditEntry } from "@tollgate/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../server/test/testApp";
import { auditTail } from "../src/auditTail";
import { captureIo } from "./captureIo";

let t: TestApp;
const acme = { env: "live" as const, customerId: "acme" };
const admin = (reason: string) => ({ actor: { id: "key_cli_test", role: "admin" }, reason });
const tail = { limit: 20, follow: false, json: false };

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(() => t.close());

const jsonLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as AuditEntry & { at: string });

describe("tollgate audit tail", () => {
  it("prints the newest entries oldest first, one a line", async () => {
    const { io, stdout } = captureIo();

    expect(await auditTail(t.engine, { ...tail, limit: 3 }, io)).toBe(0);

    const newest = (await t.engine.audit.list({ limit: 3 })).data;
    const lines = stdout().trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.match(/ #(\d+) /)?.[1])).toEqual(
      newest.map((e) => String(e.id)).reverse(),
    );
    expect(lines.at(-1)).toContain(`${newest[0]?.actorId} (${newest[0]?.actorRole})  ${newest[0]?.action}`);
  });

  it("filters by customer and action; --json prints each entry as the admin API does", async () => {
    const { io, stdout } = captureIo();

    await auditTail(t.engine, { ...tail, customer: "acme", action: "overrides.set", json: true }, io);

    const entries = jsonLines(stdout());
    const http = await t.call("GET", "/v1/admin/audit?customer=acme&action=overrides.set");
    expect(entries.length).toBeGreaterThan(0);
    expect(entries).toEqual([...http.body.data].reverse());
  });

  it("names the fields an update changed and the reason given", async () => {
    await t.engine.overrides.set(acme, { overrides: { seatLimit: 60 } }, admin("more seats for Acme"));
    const { io, stdout } = captureIo();

    await auditTail(t.engine, { ...tail, limit: 1 }, io);

    expect(stdout()).toMatch(
      /key_cli_test \(admin\) {2}overrides\.set {2}.* live\/acme {2}.*"more seats for Acme"/,
    );
    // Each changed leaf with its values, as the admin UI's before/after table shows it.
    expect(stdout()).toMatch(/changed .*overrides\.seatLimit: (\d+|\(none\)) → 60/);
  });

  it("--follow prints each new entry once as it is written, until interrupted", async () => {
    const { io, stdout } = captureIo();
    const stop = new AbortController();
    const following = auditTail(
      t.engine,
      { ...tail, customer: "acme", limit: 1, follow: true, json: true, pollMs: 20, signal: stop.signal },
      io,
    );
    await until(() => stdout().trim().split("\n").length === 1);

    await t.engine.credits.grant(acme, { amount: 100 }, admin("goodwill"));
    await t.engine.credits.grant(acme, { amount: 200 }, admin("more goodwill"));
    await t.engine.credits.grant({ env: "live", customerId: "globex" }, { amount: 5 }, admin("not acme's"));
    await until(() => stdout().includes("more goodwill"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();

    expect(await following).toBe(0);
    const entries = jsonLines(stdout());
    expect(entries.slice(1).map((e) => [e.action, e.reason])).toEqual([
      ["credits.granted", "goodwill"],
      ["credits.granted", "more goodwill"],
    ]);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
