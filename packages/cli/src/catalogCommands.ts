import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { TollgateError } from "@tollgate/core";
import type { Engine } from "@tollgate/engine";
import type { Command } from "commander";
import { catalogReport } from "./catalogReport";
import { withEngine } from "./commands";
import { readConfig } from "./config";
import { EXIT, type Io, processIo, UsageError, writeLine } from "./io";
import { jsonOption } from "./options";

/**
 * `catalog diff` exits as `terraform plan -detailed-exitcode` does: 0 no changes, 2 changes, 1
 * anything wrong (a bad option or file too), so that 2 always means "the file differs".
 */
export const DIFF_EXIT = { same: 0, trouble: 1, changes: 2 } as const;

/** The YAML parser, loaded by the catalog commands only: `serve` starts without it. */
const loadYaml = async () => (await import("yaml")).default;

export function registerCatalogCommands(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("the catalog as code: export, diff and apply a catalog file (YAML or JSON)");
  catalog
    .command("export")
    .description("write the public catalog (features, public plans' newest versions) as a catalog file")
    .option("--format <format>", "yaml or json (default: --out's extension, else yaml)")
    .option("--out <file>", "write to this file instead of standard output")
    .action((options: { format?: string; out?: string }) =>
      withEngine(readConfig(), (engine) => catalogExport(engine, options, processIo)),
    );
  catalog
    .command("diff")
    .description("what applying the file would change, and whom; exit 0 no changes, 2 changes, 1 trouble")
    .argument("<file>", "the catalog file (.json is JSON, anything else YAML)")
    .addOption(jsonOption())
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : DIFF_EXIT.trouble))
    .action((path: string, options: { json: boolean }) =>
      onFile(path, DIFF_EXIT.trouble, (engine, file) =>
        catalogApply(engine, file, path, { ...options, dryRun: true, detailedExitCode: true }, processIo),
      ),
    );
  catalog
    .command("apply")
    .description("apply the file in one transaction, audited with the reason; unchanged = nothing written")
    .argument("<file>", "the catalog file (.json is JSON, anything else YAML)")
    .option("--reason <text>", "why the catalog changes (required unless --dry-run)")
    .option(
      "--dry-run",
      "only show the diff (exit 0 whether or not it is empty; `catalog diff` tells)",
      false,
    )
    .addOption(jsonOption())
    .action((path: string, options: { reason?: string; dryRun: boolean; json: boolean }) => {
      if (!options.dryRun && !options.reason?.trim())
        throw new UsageError(
          "--reason is required: say why the catalog changes (it is kept in the audit log)",
        );
      return onFile(path, EXIT.usage, (engine, file) =>
        catalogApply(engine, file, path, { ...options, detailedExitCode: false }, processIo),
      );
    });
}

/** Reads the file before opening the database: one that cannot be read or parsed exits `unreadable`. */
async function onFile(
  path: string,
  unreadable: number,
  run: (engine: Engine, file: unknown) => Promise<number>,
): Promise<void> {
  let file: unknown;
  try {
    file = await readCatalogFile(path);
  } catch (error) {
    writeLine(processIo.stderr, `error: ${path}: ${error instanceof Error ? error.message : error}`);
    process.exitCode = unreadable;
    return;
  }
  await withEngine(readConfig(), (engine) => run(engine, file));
}

/** A catalog file's content: `.json` is read as JSON, anything else as YAML. */
export async function readCatalogFile(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8");
  return extname(path) === ".json" ? JSON.parse(text) : (await loadYaml()).parse(text);
}

/** `tollgate catalog export`: the catalog file, on standard output or in `--out`. */
export async function catalogExport(
  engine: Engine,
  options: { format?: string | undefined; out?: string | undefined },
  io: Io,
): Promise<number> {
  const format = options.format ?? (options.out && extname(options.out) === ".json" ? "json" : "yaml");
  if (format !== "yaml" && format !== "json")
    throw new UsageError(`--format is yaml or json, not "${format}"`);
  const file = await engine.catalog.export();
  const text =
    format === "json"
      ? `${JSON.stringify(file, null, 2)}\n`
      : `# Tollgate catalog (format 1): \`tollgate catalog diff <file>\` shows what applying it changes.\n${await toYaml(file)}`;
  if (options.out) await writeFile(options.out, text);
  else io.stdout.write(text);
  return EXIT.ok;
}

/**
 * `tollgate catalog diff | apply`: the diff, and unless it is a dry run the change. A file the
 * engine refuses is reported with the path of the field at fault. With `detailedExitCode` (diff)
 * the exit code says whether the file differs (`DIFF_EXIT`); else 0 done, 1 refused.
 */
export async function catalogApply(
  engine: Engine,
  file: unknown,
  path: string,
  options: { reason?: string | undefined; dryRun: boolean; json: boolean; detailedExitCode: boolean },
  io: Io,
): Promise<number> {
  let result: Awaited<ReturnType<Engine["catalog"]["apply"]>>;
  try {
    result = options.dryRun
      ? await engine.catalog.diff(file)
      : await engine.catalog.apply(file, cliCommand(options.reason ?? ""));
  } catch (error) {
    if (!(error instanceof TollgateError)) throw error;
    const at = error.param && !error.message.startsWith(error.param) ? `${error.param}: ` : "";
    writeLine(io.stderr, `error: ${path}: ${at}${error.message} (${error.code})`);
    return options.detailedExitCode ? DIFF_EXIT.trouble : EXIT.failed;
  }
  if (options.json) writeLine(io.stdout, JSON.stringify(result, null, 2));
  else writeLine(io.stdout, catalogReport(result.changes) + (result.applied ? "\napplied" : ""));
  if (!options.detailedExitCode) return EXIT.ok;
  return result.changes.empty ? DIFF_EXIT.same : DIFF_EXIT.changes;
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

/** Who applies from the command line, for the audit log: the operating-system user. */
const cliCommand = (reason: string) => ({
  actor: { id: `cli:${process.env.USER || process.env.USERNAME || "unknown"}`, role: "admin" },
  reason,
});
