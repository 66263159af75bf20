import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { TollgateError } from "@tollgate/core";
import type { CatalogApplyResult, Engine } from "@tollgate/engine";
import type { Command } from "commander";
import { catalogReport } from "./catalogReport";
import { open } from "./commands";
import { type Config, readConfig } from "./config";

/** The YAML parser, loaded by the catalog commands only: `serve` starts without it. */
const loadYaml = async () => (await import("yaml")).default;

/** Exit codes of `catalog diff` and `catalog apply --dry-run`. */
export const EXIT = { same: 0, error: 1, differs: 2 } as const;

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("the catalog as code: export, diff and apply a catalog file (YAML or JSON)");
  catalog
    .command("export")
    .description("write the public catalog (features, public plans' newest versions) as a catalog file")
    .option("--format <format>", "yaml or json (default: --out's extension, else yaml)")
    .option("--out <file>", "write to this file instead of standard output")
    .action(async (options: { format?: string; out?: string }) => {
      process.exitCode = await catalogExport(readConfig(), options);
    });
  catalog
    .command("diff <file>")
    .description("what applying the file would change, and whom; exit 0 when nothing, 2 when something")
    .option("--json", "print the diff as JSON", false)
    .action(async (file: string, options: { json: boolean }) => {
      process.exitCode = await catalogApply(readConfig(), file, { ...options, dryRun: true });
    });
  catalog
    .command("apply <file>")
    .description("apply the file in one transaction, audited with the reason; unchanged = nothing written")
    .option("--reason <text>", "why the catalog changes (required unless --dry-run)")
    .option("--dry-run", "only show the diff, with diff's exit codes", false)
    .option("--json", "print the result as JSON", false)
    .action(async (file: string, options: { reason?: string; dryRun: boolean; json: boolean }) => {
      process.exitCode = await catalogApply(readConfig(), file, options);
    });
}

/** `tollgate catalog export`: the catalog file, to standard output or `--out`. */
export async function catalogExport(
  config: Config,
  options: { format?: string; out?: string },
): Promise<number> {
  const format = options.format ?? (options.out && extname(options.out) === ".json" ? "json" : "yaml");
  if (format !== "yaml" && format !== "json") throw new Error(`--format is yaml or json, not "${format}"`);
  const file = await withEngine(config, (engine) => engine.catalog.export());
  const text =
    format === "json"
      ? `${JSON.stringify(file, null, 2)}\n`
      : `# Tollgate catalog (format 1): \`tollgate catalog diff <file>\` shows what applying it changes.\n${await toYaml(file)}`;
  if (options.out) await writeFile(options.out, text);
  else process.stdout.write(text);
  return EXIT.same;
}

/** `tollgate catalog diff | apply`: the diff, and with a reason (not a dry run) the change. */
export async function catalogApply(
  config: Config,
  path: string,
  options: { reason?: string | undefined; dryRun: boolean; json: boolean },
): Promise<number> {
  if (!options.dryRun && !options.reason?.trim()) {
    console.error("--reason is required: say why the catalog changes (it is kept in the audit log)");
    return EXIT.error;
  }
  const YAML = await loadYaml();
  let result: CatalogApplyResult;
  try {
    const text = await readFile(path, "utf8");
    // `.json` is read as JSON, anything else as YAML.
    const file: unknown = extname(path) === ".json" ? JSON.parse(text) : YAML.parse(text);
    result = await withEngine(config, (engine) =>
      options.dryRun ? engine.catalog.diff(file) : engine.catalog.apply(file, command(options.reason ?? "")),
    );
  } catch (error) {
    const isFileError = error instanceof TollgateError || error instanceof YAML.YAMLError;
    if (!isFileError && !(error instanceof SyntaxError)) throw error;
    const param = error instanceof TollgateError ? error.param : undefined;
    const at = param && !error.message.startsWith(param) ? `${param}: ` : "";
    const code = error instanceof TollgateError ? ` (${error.code})` : "";
    console.error(`${path}: ${at}${error.message}${code}`);
    return EXIT.error;
  }
  if (options.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(catalogReport(result.changes));
    if (result.applied) console.log("applied");
  }
  if (!options.dryRun) return EXIT.same;
  return result.changes.empty ? EXIT.same : EXIT.differs;
}

/** YAML with lists of plain values on one line (`thresholds: [ 0.8, 0.9, 1 ]`). */
async function toYaml(value: unknown): Promise<string> {
  const YAML = await loadYaml();
  const doc = new YAML.Document(value);
  YAML.visit(doc, {
    Seq(_, node) {
      if (node.items.every(YAML.isScalar)) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

async function withEngine<T>(config: Config, run: (engine: Engine) => Promise<T>): Promise<T> {
  const { database, engine } = await open(config);
  try {
    return await run(engine);
  } finally {
    await database.close();
  }
}

/** Who applies from the command line, for the audit log: the operating-system user. */
const command = (reason: string) => ({
  actor: { id: `cli:${process.env.USER || process.env.USERNAME || "unknown"}`, role: "admin" },
  reason,
});
