import { type Database, openTestDatabase } from "@tollgate/store";
import { createEngine, type Engine, type EngineConfig } from "../src/index";

/** A movable clock for tests: starts at `start`, moves only when told. */
export function testClock(start = "2026-06-15T12:00:00Z") {
  let now = new Date(start);
  const clock = () => new Date(now);
  return Object.assign(clock, {
    set: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  });
}

export interface TestEngine {
  engine: Engine;
  database: Database;
  clock: ReturnType<typeof testClock>;
}

/** An engine over a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set). */
export async function openTestEngine(
  start?: string,
  config?: (database: Database) => Partial<EngineConfig>,
): Promise<TestEngine> {
  const database = await openTestDatabase();
  const clock = testClock(start);
  return { engine: createEngine({ database, clock, config: config?.(database) }), database, clock };
}

export const admin = (reason = "test") => ({ actor: { id: "key_test_admin", role: "admin" }, reason });
export const live = (customerId: string) => ({ env: "live" as const, customerId });
