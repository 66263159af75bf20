#!/usr/bin/env node
import { Command } from "commander";
import { registerCatalogCommands } from "./catalogCommands";
import { migrate, seed, serve, stripeReconcile, worker } from "./commands";
import { readConfig } from "./config";

const program = new Command()
  .name("tollgate")
  .description("Billing plans and entitlements: the server and its tools")
  .showHelpAfterError();

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

registerCatalogCommands(program);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
