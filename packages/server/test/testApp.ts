import { createHash } from "node:crypto";
import {
  createEngine,
  DEMO_KEYS,
  type Engine,
  type PaymentProvider,
  seedDemo,
  seedDemoKeys,
} from "@tollgate/engine";
import { type Database, openTestDatabase, tables } from "@tollgate/store";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import pino from "pino";
import { createApp } from "../src/app";

export { DEMO_KEYS };

/** The instant the demo is seeded at; tests move the clock from here. */
export const START = "2026-06-15T12:00:00.000Z";

/** A movable clock: starts at `start`, moves only when told. */
export function testClock(start = START) {
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

export type KeyName = keyof typeof DEMO_KEYS;

export interface CallOptions {
  /** A demo key by name, a literal secret, or null for no Authorization header. */
  key?: KeyName | (string & {}) | null;
  /** A value to send as JSON, or a string sent as is (for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
  headers: Headers;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  engine: Engine;
  database: Database;
  clock: ReturnType<typeof testClock>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Per table: row count and a hash of its sorted contents. */
  snapshot(): Promise<Record<string, { rows: number; hash: string }>>;
  close(): Promise<void>;
}

/** A fresh database with the demo and its keys, an engine on a movable clock, and the app. */
export async function openTestApp(
  start = START,
  options: { payments?: (clock: () => Date) => PaymentProvider } = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const clock = testClock(start);
  const engine = createEngine({ database, clock, payments: options.payments?.(clock) });
  await seedDemo(engine);
  await seedDemoKeys(engine);
  const app = createApp({ engine, logger: pino({ level: "silent" }) });

  async function call(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? "admin" : options.key;
    if (key !== null) {
      const secret = key in DEMO_KEYS ? DEMO_KEYS[key as KeyName] : key;
      headers.authorization = `Bearer ${secret}`;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    Object.assign(headers, options.headers);
    const response = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async function snapshot(): Promise<Record<string, { rows: number; hash: string }>> {
    const result: Record<string, { rows: number; hash: string }> = {};
    for (const table of Object.values(tables)) {
      if (!is(table, PgTable)) continue;
      const rows = (await database.db.select().from(table)).map((row) => JSON.stringify(row)).sort();
      result[getTableName(table)] = {
        rows: rows.length,
        hash: createHash("sha256").update(rows.join("\n")).digest("hex"),
      };
    }
    return result;
  }

  return { app, engine, database, clock, call, snapshot, close: () => database.close() };
}
