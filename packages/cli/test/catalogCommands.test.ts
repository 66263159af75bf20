import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { catalogApply, catalogExport, EXIT } from "../src/catalogCommands";
import { seed } from "../src/commands";
import { readConfig } from "../src/config";

const root = resolve(import.meta.dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "tollgate-catalog-"));
// The CLI on its own embedded database, whatever the suite's driver.
const config = readConfig({ TOLLGATE_DATA_DIR: join(dir, "db") });
const file = (name: string) => join(dir, name);

/** Runs a command in process, with what it printed. */
async function run(command: () => Promise<number | undefined>) {
  const out: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
  const error = vi.spyOn(console, "error").mockImplementation((line: string) => void out.push(line));
  try {
    const code = await command();
    return { code, output: out.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  await run(async () => {
    await seed(config);
    return 0;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tollgate catalog", () => {
  it("export writes YAML that diffs empty; a change diffs with exit 2, applies once with a reason, then diffs empty", async () => {
    expect(await catalogExport(config, { out: file("catalog.yaml") })).toBe(EXIT.same);
    const exported = readFileSync(file("catalog.yaml"), "utf8");
    expect(exported).toMatch(/^# Tollgate catalog/);
    expect(exported).toContain("thresholds: [ 0.8, 0.9, 1 ]");
    expect(exported).not.toContain("cronicorn_custom");
    const diff = (path: string) => catalogApply(config, path, { dryRun: true, json: false });
    expect(await run(() => diff(file("catalog.yaml")))).toEqual({ code: EXIT.same, output: "no changes" });

    writeFileSync(file("pricier.yaml"), exported.replace("basePrice: 2900", "basePrice: 3900"));
    const review = await run(() => diff(file("pricier.yaml")));
    expect(review.code).toBe(EXIT.differs);
    expect(review.output).toContain(
      "~ plan standard: publishes v2 (newest now v1)\n    basePrice: 2900 → 3900",
    );
    expect(review.output).toContain("customer live/globex: keeps standard v1 (pinned)");

    const apply = (reason?: string) =>
      run(() => catalogApply(config, file("pricier.yaml"), { reason, dryRun: false, json: false }));
    const noReason = await apply();
    expect(noReason.code).toBe(EXIT.error);
    expect(noReason.output).toMatch(/--reason is required/);
    const applied = await apply("Standard to $39");
    expect(applied.code).toBe(EXIT.same);
    expect(applied.output).toMatch(/applied$/);
    expect(await apply("again")).toEqual({ code: EXIT.same, output: "no changes" });
    expect((await run(() => diff(file("pricier.yaml")))).code).toBe(EXIT.same);

    await catalogExport(config, { out: file("after.json") });
    const json = JSON.parse(readFileSync(file("after.json"), "utf8"));
    expect(json.plans.find((p: { key: string }) => p.key === "standard").basePrice).toBe(3900);
  });

  it("a bad file exits 1 naming the field at fault, and applies nothing", async () => {
    const exported = readFileSync(file("catalog.yaml"), "utf8");
    writeFileSync(file("bad.yaml"), exported.replace("basePrice: 4900", "basePrice: lots"));
    await catalogExport(config, { out: file("before-bad.json") });
    const bad = await run(() =>
      catalogApply(config, file("bad.yaml"), { reason: "bad", dryRun: false, json: false }),
    );
    expect(bad.code).toBe(EXIT.error);
    expect(bad.output).toMatch(/bad\.yaml: plans\.5\.basePrice: .* \(parameter_invalid\)$/);
    await catalogExport(config, { out: file("after-bad.json") });
    expect(readFileSync(file("after-bad.json"), "utf8")).toBe(readFileSync(file("before-bad.json"), "utf8"));
    writeFileSync(file("broken.yaml"), "tollgate: 1\nplans: [\n");
    const broken = await run(() => catalogApply(config, file("broken.yaml"), { dryRun: true, json: false }));
    expect(broken.code).toBe(EXIT.error);
    expect(broken.output).toMatch(/broken\.yaml: .*line 3/);
  });

  it("the installed command exits 2 when a diff is not empty", () => {
    writeFileSync(file("smaller.json"), JSON.stringify({ tollgate: 1, plans: [] }));
    const result = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/tsx/dist/cli.mjs"),
        "packages/cli/src/main.ts",
        "catalog",
        "diff",
        file("smaller.json"),
      ],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: "", TOLLGATE_DATA_DIR: join(dir, "db") },
        encoding: "utf8",
      },
    );
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toContain("- plan team_pro: archived");
  }, 60_000);
});
