import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTollgate } from "./runTollgate";

const dir = mkdtempSync(join(tmpdir(), "tollgate-cli-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `tollgate …` as a user runs it, on an embedded database in a temporary directory. */
const tollgate = (...args: string[]) => runTollgate(join(dir, "data"), ...args);

describe("the tollgate command", () => {
  it("lists the operator commands and the exit codes in --help", async () => {
    const { code, stdout } = await tollgate("--help");
    expect(code).toBe(0);
    for (const command of ["usage", "invoice", "audit", "customers"])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    expect(stdout).toContain("2 the command line is wrong");
  });

  it("exits 2 on a wrong command line, naming the mistake", async () => {
    const missing = await tollgate("usage", "import");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'file'");

    const badInstant = await tollgate("customers", "show", "acme", "--at", "yesterday");
    expect(badInstant.code).toBe(2);
    expect(badInstant.stderr).toContain("must be an ISO-8601 instant");
  });

  it("exits 1 with the engine's message and code for an unknown customer", async () => {
    const { code, stdout, stderr } = await tollgate("customers", "show", "nobody");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe('error: no live customer "nobody" (customer_not_found)');
  }, 120_000);

  it("imports a file: JSON summary on stdout, exit 1 when lines are rejected, 2 when the file is missing", async () => {
    const file = join(dir, "usage.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ id: "e1", customerId: "nobody", feature: "ai_tokens" })}\n\nnot json\n`,
    );

    const imported = await tollgate("usage", "import", file, "--json");
    expect(imported.code).toBe(1);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      lines: 3,
      accepted: 0,
      rejected: 3,
      rejectedByCode: { customer_not_found: 1, blank_line: 1, invalid_json: 1 },
    });
    expect(imported.stderr).toContain("line 3: invalid_json");

    const missing = await tollgate("usage", "import", join(dir, "missing.ndjson"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: no file");
  }, 120_000);
});
