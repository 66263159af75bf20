#!/usr/bin/env node
import { TollgateError } from "@tollgate/core";
import type { Env } from "@tollgate/engine";
import { Command, Option } from "commander";
import { registerCatalogCommands } from "./catalogCommands";
import { migrate, seed, serve, stripeReconcile, withEngine, worker } from "./commands";
import { readConfig } from "./config";
import { EXIT, processIo, UsageError } from "./io";
import { envOption, instant, jsonOption, positiveInteger } from "./options";

const program = new Command()
  .name("tollgate")
  .description("Billing plans and entitlements: the server and its tools")
  .showHelpAfterError()
  // A mistake on the command line exits 2 (help and --version still 0), so scripts can tell it from a failure.
  .exitOverride((error) => process.exit(error.exitCode === 1 ? EXIT.usage : error.exitCode))
  .addHelpText(
    "after",
    "\nExit codes: 0 done; 1 done with failures (rejected lines, an unknown customer, drift left);\n" +
      "2 the command line is wrong (an option, a missing file); 130 interrupted.",
  );

program
  .command("serve")
  .description("run the HTTP API (embedded PGlite in TOLLGATE_DATA_DIR, or DATABASE_URL)")
  .option("--demo", "load the demo data and keys when the database has no plans", false)
  .action((options: { demo: boolean }) => serve(readConfig(), options));

program
  .command("worker")
  .description("run the scheduler alone: trial expiry and other due jobs, reservation expiry")
  .action(() => worker(readConfig()));

program
  .command("migrate")
  .description("apply the database migrations and exit")
  .action(() => migrate(readConfig()));

program
  .command("seed")
  .description("load the demo catalog, customers and keys (idempotent)")
  .action(() => seed(readConfig()));

const stripe = program.command("stripe").description("the Stripe payment rail");
stripe
  .command("reconcile")
  .description("report drift between Stripe's subscriptions and the database (the source of truth)")
  .option(
    "--apply",
    "correct prices and quantities at Stripe; missing or canceled ones are only reported",
    false,
  )
  .option("--json", "print the report as JSON", false)
  .action((options: { apply: boolean; json: boolean }) => stripeReconcile(readConfig(), options));

// ── Operator tools: usage import, invoice preview, audit tail, customers show ──────────────────
// Each loads its module when run, so `serve` starts without them.

/** Aborted on the first SIGINT, so a long command stops cleanly and says where. */
function interruption(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  return controller.signal;
}

const usage = program.command("usage").description("usage events");
usage
  .command("import")
  .description(
    "record usage events from an NDJSON file (one POST /v1/events item a line), 1000 a batch; " +
      "exit 0 when every line was accepted or a duplicate, 1 when some were rejected",
  )
  .argument("<file>", "the .ndjson file")
  .addOption(envOption())
  .option("--rejects <file>", "write every rejected line there as NDJSON {line, code, param, message, text}")
  .option("--no-progress", "no progress on stderr")
  .addOption(jsonOption())
  .action((file: string, options: { env: Env; rejects?: string; progress: boolean; json: boolean }) =>
    withEngine(readConfig(), async (engine) =>
      (await import("./usageImport")).usageImport(
        engine,
        file,
        { ...options, signal: interruption() },
        processIo,
      ),
    ),
  );

const invoice = program.command("invoice").description("invoices");
invoice
  .command("preview")
  .description("the current period's invoice as it stands (GET /v1/customers/:id/invoices/upcoming)")
  .argument("<customer>", "the customer's id")
  .addOption(envOption())
  .addOption(jsonOption())
  .action((customerId: string, options: { env: Env; json: boolean }) =>
    withEngine(readConfig(), async (engine) =>
      (await import("./invoicePreview")).invoicePreview(
        engine,
        { env: options.env, customerId },
        options,
        processIo,
      ),
    ),
  );

const audit = program.command("audit").description("the append-only audit log");
audit
  .command("tail")
  .description("the newest audit entries, oldest first; --follow prints new ones until Ctrl-C")
  .option("--customer <id>", "only this customer's entries")
  .option("--action <action>", "only this action, e.g. subscription.assigned")
  .addOption(new Option("--env <env>", "only this environment's entries").choices(["live", "test"]))
  .option("--limit <n>", "how many of the newest entries to print first", positiveInteger(1000), 20)
  .option("-f, --follow", "keep printing new entries until Ctrl-C", false)
  .addOption(jsonOption("print each entry as one JSON object a line"))
  .action(
    (options: {
      customer?: string;
      action?: string;
      env?: Env;
      limit: number;
      follow: boolean;
      json: boolean;
    }) =>
      withEngine(readConfig(), async (engine) =>
        (await import("./auditTail")).auditTail(engine, { ...options, signal: interruption() }, processIo),
      ),
  );

const customers = program.command("customers").description("customers");
customers
  .command("show")
  .description("the customer, its subscription and effective plan (GET /v1/customers/:id and …/entitlements)")
  .argument("<id>", "the customer's id")
  .addOption(envOption())
  .option("--explain", "each value with the plan version, override or add-on rows it came from", false)
  .option("--at <instant>", "as at an ISO-8601 instant instead of now", instant)
  .addOption(jsonOption())
  .action((customerId: string, options: { env: Env; explain: boolean; at?: Date; json: boolean }) =>
    withEngine(readConfig(), async (engine) =>
      (await import("./customersShow")).customersShow(
        engine,
        { env: options.env, customerId },
        options,
        processIo,
      ),
    ),
  );
registerCatalogCommands(program);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}`);
    process.exit(EXIT.usage);
  }
  if (error instanceof TollgateError) {
    console.error(`error: ${error.message} (${error.code})`);
    process.exit(error.type === "invalid_request" ? EXIT.usage : EXIT.failed);
  }
  console.error(error instanceof Error ? error.message : error);
  process.exit(EXIT.failed);
});
