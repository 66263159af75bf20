import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../server/test/testApp";
import { catalogApply, catalogExport, DIFF_EXIT, readCatalogFile } from "../src/catalogCommands";
import { captureIo } from "./captureIo";
import { runTollgate } from "./runTollgate";

const dir = mkdtempSync(join(tmpdir(), "tollgate-catalog-"));
const file = (name: string) => join(dir, name);

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `catalog diff <path>` in process: its exit code and what it printed. */
async function diff(path: string) {
  const { io, stdout, stderr } = captureIo();
  const options = { json: false, dryRun: true, detailedExitCode: true };
  const code = await catalogApply(t.engine, await readCatalogFile(path), path, options, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

async function apply(path: string, reason: string) {
  const { io, stdout, stderr } = captureIo();
  const options = { reason, json: false, dryRun: false, detailedExitCode: false };
  const code = await catalogApply(t.engine, await readCatalogFile(path), path, options, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe("tollgate catalog", () => {
  it("export writes YAML that diffs empty; a change diffs 2 with its fields and customers, applies once, then diffs empty", async () => {
    expect(await catalogExport(t.engine, { out: file("catalog.yaml") }, captureIo().io)).toBe(0);
    const exported = readFileSync(file("catalog.yaml"), "utf8");
    expect(exported).toMatch(/^# Tollgate catalog/);
    expect(exported).toContain("thresholds: [ 0.8, 0.9, 1 ]");
    expect(exported).not.toContain("cronicorn_custom");
    expect(await diff(file("catalog.yaml"))).toEqual({
      code: DIFF_EXIT.same,
      stdout: "no changes\n",
      stderr: "",
    });

    writeFileSync(file("pricier.yaml"), exported.replace("basePrice: 2900", "basePrice: 3900"));
    const review = await diff(file("pricier.yaml"));
    expect(review.code).toBe(DIFF_EXIT.changes);
    expect(review.stdout).toContain(
      "~ plan standard: publishes v2 (newest now v1)\n    basePrice: 2900 → 3900",
    );
    expect(review.stdout).toContain("customer live/globex: keeps standard v1 (pinned)");

    const applied = await apply(file("pricier.yaml"), "Standard to $39");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/applied\n$/);
    expect(await apply(file("pricier.yaml"), "again")).toEqual({
      code: 0,
      stdout: "no changes\n",
      stderr: "",
    });
    expect((await diff(file("pricier.yaml"))).code).toBe(DIFF_EXIT.same);

    const { io, stdout } = captureIo();
    await catalogExport(t.engine, { format: "json" }, io);
    const standard = JSON.parse(stdout()).plans.find((p: { key: string }) => p.key === "standard");
    expect(standard.basePrice).toBe(3900);
  });

  it("a file the engine refuses exits 1 naming the field at fault, and applies nothing", async () => {
    const before = await t.snapshot();
    writeFileSync(
      file("bad.yaml"),
      "tollgate: 1\nplans:\n  - key: pro\n    name: Pro\n    basePrice: lots\n",
    );
    const bad = await diff(file("bad.yaml"));
    expect(bad.code).toBe(DIFF_EXIT.trouble);
    expect(bad.stderr).toMatch(/^error: .*bad\.yaml: plans\.0\.basePrice: .* \(parameter_invalid\)\n$/);
    expect((await apply(file("bad.yaml"), "bad")).code).toBe(1);
    expect(await t.snapshot()).toEqual(before);
  });
});

/** `tollgate …` as a user runs it, on an empty embedded database in a temporary directory. */
const tollgate = (...args: string[]) => runTollgate(join(dir, "data"), ...args);

describe("the tollgate catalog command's exit codes", () => {
  it("diff: 2 when the file differs, 1 when the file is missing or the command line is wrong", async () => {
    writeFileSync(
      file("one.json"),
      JSON.stringify({ tollgate: 1, features: [{ key: "sso", name: "SSO", type: "boolean" }] }),
    );
    const changes = await tollgate("catalog", "diff", file("one.json"));
    expect(changes.code, changes.stderr).toBe(2);
    expect(changes.stdout).toContain("+ feature sso: SSO (boolean)");
    const missing = await tollgate("catalog", "diff", file("nowhere.yaml"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere\.yaml: ENOENT/);
    expect((await tollgate("catalog", "diff")).code).toBe(1);
  }, 120_000);

  it("apply: 2 without a reason, like every command's wrong command line", async () => {
    const { code, stderr } = await tollgate("catalog", "apply", file("one.json"));
    expect(code).toBe(2);
    expect(stderr).toContain("--reason is required");
  }, 60_000);
});
