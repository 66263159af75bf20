import { type Env, createEngine as openEngine } from "@tollgate/engine";
import { openDatabase } from "@tollgate/store";
import type { UsageEvent } from "../types";

export interface EmbeddedOptions {
  /** Directory of the embedded PGlite database (created and migrated if new). */
  dataDir: string;
  /** The environment the calls act in (default live). */
  env?: Env;
}

export type EmbeddedEngine = Awaited<ReturnType<typeof createEngine>>;

/**
 * Tollgate in process, without a server: the engine over the embedded database in `dataDir`,
 * with the client's calls. Answers are the engine's values: a refused track is a result with
 * `recorded: false` and its decision (the HTTP edge is what turns it into 402).
 */
export async function createEngine(options: EmbeddedOptions) {
  const database = await openDatabase({ dataDir: options.dataDir });
  await database.migrate();
  const engine = openEngine({ database });
  const env = options.env ?? "live";
  const ref = (customerId: string) => ({ env, customerId });
  return {
    /** The whole engine (admin use cases included), for what the calls below do not cover. */
    engine,
    check: (customerId: string, feature: string, quantity = 1, checkOptions: { workspaceId?: string } = {}) =>
      engine.entitlements.check(ref(customerId), { feature, quantity, ...checkOptions }),
    track: (event: UsageEvent) => engine.usage.track(env, event),
    entitlements: (customerId: string, query: { at?: Date; explain?: boolean } = {}) =>
      engine.entitlements.get(ref(customerId), query),
    events: (batch: UsageEvent[]) => engine.usage.ingest(env, batch),
    close: () => database.close(),
  };
}
