import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../../..");

/** `tollgate …` as a user runs it, on an embedded database in `dataDir`. */
export function runTollgate(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/tsx/dist/cli.mjs"), "packages/cli/src/main.ts", ...args],
    { cwd: root, env: { ...process.env, DATABASE_URL: "", TOLLGATE_DATA_DIR: dataDir } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((done) => child.on("close", (code) => done({ code, stdout, stderr })));
}
