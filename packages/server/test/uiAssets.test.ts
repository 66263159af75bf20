import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../src/app";
import { openTestApp, type TestApp } from "./testApp";

let t: TestApp;
const dist = mkdtempSync(join(tmpdir(), "tollgate-admin-dist-"));
beforeAll(async () => {
  t = await openTestApp();
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>admin</title>");
  writeFileSync(join(dist, "assets", "app.js"), "console.log('admin')");
});
afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

const appWith = (adminDist: string, portalDist = adminDist) =>
  createApp({ engine: t.engine, logger: pino({ level: "silent" }), adminDist, portalDist });

it("/admin serves the built UI: its assets, and index.html for client routes", async () => {
  const app = appWith(dist);
  const asset = await app.request("/admin/assets/app.js");
  expect(asset.status).toBe(200);
  expect(asset.headers.get("content-type")).toContain("javascript");
  expect(await asset.text()).toContain("admin");
  for (const path of ["/admin", "/admin/", "/admin/customers/acme"]) {
    const page = await app.request(path);
    expect(page.status, path).toBe(200);
    expect(await page.text(), path).toContain("<title>admin</title>");
  }
  const outside = await app.request("/admin/..%2f..%2fpackage.json");
  expect(await outside.text()).not.toContain("@tollgate");
});

it("/admin says how to build the UI when it is not built", async () => {
  const page = await appWith(join(dist, "missing")).request("/admin/customers");
  expect(page.status).toBe(503);
  expect(await page.text()).toContain("npm run build:admin");
});

it("/portal serves the portal's build for every token, never cached nor sent on as a referrer", async () => {
  const page = await appWith(join(dist, "missing"), dist).request("/portal/eyJsIjoi.c2ln");
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("<title>admin</title>");
  expect(page.headers.get("cache-control")).toBe("no-store");
  expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  const asset = await appWith(join(dist, "missing"), dist).request("/portal/assets/app.js");
  expect(asset.headers.get("cache-control")).toContain("immutable");

  const missing = await appWith(dist, join(dist, "missing")).request("/portal/eyJsIjoi.c2ln");
  expect(missing.status).toBe(503);
  expect(await missing.text()).toContain("npm run build:portal");
});
