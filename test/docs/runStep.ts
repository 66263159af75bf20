import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { jsonMismatches, jsonValues, textMismatches } from "./abridged";
import type { GuideStep } from "./guideSteps";

/** The address the guides document (`npm start`'s); each step runs against the test's server instead. */
const DOCUMENTED_URL = "http://localhost:4000";

export interface StepRun {
  output: string;
  /** The HTTP status of each curl request, in order (shell steps). */
  statuses: number[];
  /** What went wrong, for the test's message; empty when the step ran as documented. */
  problems: string[];
}

/**
 * Runs a shell step with bash (`-e -o pipefail`), `TOLLGATE_URL` pointing at `baseUrl`; curl's
 * statuses are collected on stderr by a wrapper, so the guide's commands stay as a reader types them.
 */
export async function runShellStep(step: GuideStep, baseUrl: string): Promise<StepRun> {
  const wrapper = `curl() { command curl --write-out '%{stderr}%{http_code}\\n' "$@"; }\n`;
  const script = wrapper + step.code.replaceAll(DOCUMENTED_URL, baseUrl);
  const { code, stdout, stderr } = await bash(script, { ...process.env, TOLLGATE_URL: baseUrl });
  const statuses = stderr
    .split("\n")
    .filter((line) => /^\d{3}$/.test(line))
    .map(Number);
  const problems: string[] = [];
  if (code !== 0) problems.push(`exit code ${code}; stderr: ${stderr.trim()}`);
  const wanted = statuses.map((_, i) => (i === statuses.length - 1 ? step.lastStatus : undefined));
  for (const [i, status] of statuses.entries()) {
    const expected = wanted[i];
    const fine = expected === undefined ? status >= 200 && status < 300 : status === expected;
    if (!fine) problems.push(`request ${i + 1} answered ${status}, expected ${expected ?? "2xx"}`);
  }
  if (step.lastStatus !== undefined && statuses.length === 0) problems.push("no request was made");
  problems.push(...answerMismatches(step, stdout));
  return { output: stdout, statuses, problems };
}

/**
 * Runs a TypeScript step as the reader would run the file (imports resolved from the repository),
 * its `http://localhost:4000` pointing at `baseUrl`, and collects what it prints.
 */
export async function runTypeScriptStep(step: GuideStep, baseUrl: string, dir: string): Promise<StepRun> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `step-${step.line}.ts`);
  writeFileSync(file, step.code.replaceAll(DOCUMENTED_URL, baseUrl));
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(format(...args));
  const problems: string[] = [];
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    problems.push(`threw ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    console.log = log;
  }
  const output = printed.join("\n");
  problems.push(...answerMismatches(step, output));
  return { output, statuses: [], problems };
}

function answerMismatches(step: GuideStep, output: string): string[] {
  const expected = step.expected;
  if (!expected) return [];
  if (expected.language === "text") {
    return textMismatches(expected.body, output).map((line) => `the output lacks the line: ${line}`);
  }
  const last = jsonValues(output).at(-1);
  if (last === undefined) return ["the step printed no JSON"];
  return jsonMismatches(JSON.parse(expected.body), last);
}

function bash(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-e", "-o", "pipefail", "-c", script], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
