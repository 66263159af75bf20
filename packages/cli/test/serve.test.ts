import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "tollgate-start-"));
const port = 40_000 + Math.floor(Math.random() * 10_000);
let server: ChildProcess | undefined;

afterAll(() => {
  server?.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitForHealth(deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

it("npm start's command answers /healthz within 10 s on an empty embedded database, with the demo readable", async () => {
  const started = Date.now();
  // What `npm start` runs, on a fresh data directory and a free port (embedded PGlite, no DATABASE_URL).
  server = spawn(
    process.execPath,
    [join(root, "node_modules/tsx/dist/cli.mjs"), "packages/cli/src/main.ts", "serve", "--demo"],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: "",
        PORT: String(port),
        TOLLGATE_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    },
  );
  expect(await waitForHealth(started + 10_000)).toBe(true);
  expect(Date.now() - started).toBeLessThan(10_000);

  const response = await fetch(`http://127.0.0.1:${port}/v1/customers/acme/entitlements`, {
    headers: { authorization: "Bearer tg_demo_live_sk" },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { plan: { label: string } };
  expect(body.plan.label).toBe("Acme Corp Enterprise");
}, 30_000);
