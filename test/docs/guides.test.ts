import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { createEngine } from "@tollgate/engine";
import { createApp, createLogger } from "@tollgate/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGuideServer } from "./guideServer";
import { guideSteps } from "./guideSteps";
import { runShellStep, runTypeScriptStep } from "./runStep";

const root = resolve(import.meta.dirname, "../..");
const guidesDir = join(root, "docs/guides");
const GUIDES = [
  "enterprise-deal.md",
  "employee-accounts.md",
  "gating-features.md",
  "metering-usage.md",
  "production-postgres.md",
];
const read = (path: string) => readFileSync(join(root, path), "utf8");
/** TypeScript steps are written here (git-ignored) so their imports resolve from the repository. */
const scratch = join(root, "tmp", `guides-${process.pid}`);

let server: Awaited<ReturnType<typeof startGuideServer>>;
beforeAll(async () => {
  server = await startGuideServer();
});
afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

// Each guide uses customers of its own (or only reads the demo's), so they run in any order.
describe.each(GUIDES)("docs/guides/%s", (name) => {
  it("runs as written against npm start's demo, every answer as documented", async () => {
    const steps = guideSteps(read(`docs/guides/${name}`));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    for (const step of steps) {
      const setsAVariableOnly = /^(export \w+=\S+\n?)+$/.test(step.code);
      expect(step.expected || setsAVariableOnly, `${name}:${step.line} shows no answer`).toBeTruthy();
    }
    for (const step of steps) {
      const run =
        step.language === "sh"
          ? await runShellStep(step, server.baseUrl)
          : await runTypeScriptStep(step, server.baseUrl, join(scratch, name.replace(".md", "")));
      expect(run.problems, `${name}:${step.line}\n${step.code}\n--- printed:\n${run.output}`).toEqual([]);
    }
  }, 60_000);

  it("links only to files and headings that exist, and the README links to it", () => {
    const markdown = read(`docs/guides/${name}`);
    for (const [, target, anchor] of markdown.matchAll(/\]\(([^)#\s]+)(?:#([^)]*))?\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue;
      const linked = readFileSync(resolve(guidesDir, target), "utf8");
      if (anchor) expect(headingAnchors(linked), `${name} links to ${target}#${anchor}`).toContain(anchor);
    }
    expect(read("README.md")).toContain(`(docs/guides/${name})`);
  });
});

describe("what the guides say outside their runnable steps", () => {
  it("checkout without Stripe keys answers 422 payments_disabled", async () => {
    // The same database, served as `npm start` without STRIPE_SECRET_KEY serves it.
    const app = createApp({ engine: createEngine({ database: server.database }), logger: createLogger() });
    const checkout = await app.request("/v1/customers/cronicorn/checkout", {
      method: "POST",
      headers: { authorization: "Bearer tg_demo_live_sk", "content-type": "application/json" },
      body: JSON.stringify({
        planKey: "cronicorn_custom",
        successUrl: "https://app.example/ok",
        cancelUrl: "https://app.example/no",
      }),
    });
    expect(checkout.status).toBe(422);
    expect(((await checkout.json()) as { error: { code: string } }).error.code).toBe("payments_disabled");
  });

  it("the production guide names only commands the CLI has and variables Tollgate reads", () => {
    const guide = read("docs/guides/production-postgres.md");
    const cli = read("packages/cli/src/main.ts");
    const commands = new Set([...cli.matchAll(/\.command\("([a-z]+)"\)/g)].map((m) => m[1]));
    const named = [...guide.matchAll(/tollgate -- ([a-z]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const command of named) expect(commands, `tollgate ${command}`).toContain(command);

    const sources = read("packages/cli/src/config.ts") + read("packages/server/src/logger.ts");
    const variables = [...guide.matchAll(/^\| `([A-Z][A-Z_]+)`/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(5);
    for (const variable of variables) expect(sources, variable).toContain(`env.${variable}`);
  });
});

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces to dashes. */
function headingAnchors(markdown: string): string[] {
  return [...markdown.matchAll(/^#+ (.+)$/gm)].map((m) =>
    (m[1] ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9 _-]/g, "")
      .replace(/ /g, "-"),
  );
}
