import { resolve } from "node:path";
import { DEFAULT_LATE_WINDOW_MS } from "@tollgate/core";

/** Settings from the environment, as API.md lists them. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  adminKey: string | undefined;
  seed: "demo" | undefined;
  /** The URL customers reach the server at, for portal links; absent = the request's origin. */
  publicUrl: string | undefined;
  /** Signs portal links; absent = a secret made once and kept in the database. */
  portalSecret: string | undefined;
  /** How long after its window closed a late usage event is still accepted, per environment (ms). */
  lateWindowMs: { live: number; test: number };
  /** Stripe, when STRIPE_SECRET_KEY is set; absent = payments disabled. */
  stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.TOLLGATE_DATA_DIR ?? ".tollgate"),
    adminKey: env.TOLLGATE_ADMIN_KEY || undefined,
    seed: env.TOLLGATE_SEED === "demo" ? "demo" : undefined,
    publicUrl: readPublicUrl(env.TOLLGATE_PUBLIC_URL),
    portalSecret: readPortalSecret(env.TOLLGATE_PORTAL_SECRET),
    lateWindowMs: readLateWindows(env),
    stripe: readStripe(env),
  };
}

/**
 * TOLLGATE_LATE_WINDOW_HOURS (both environments, 72 by default) and
 * TOLLGATE_TEST_LATE_WINDOW_HOURS (the test environment's, when it should differ).
 */
function readLateWindows(env: NodeJS.ProcessEnv): Config["lateWindowMs"] {
  const live =
    readHours("TOLLGATE_LATE_WINDOW_HOURS", env.TOLLGATE_LATE_WINDOW_HOURS) ?? DEFAULT_LATE_WINDOW_MS;
  const test = readHours("TOLLGATE_TEST_LATE_WINDOW_HOURS", env.TOLLGATE_TEST_LATE_WINDOW_HOURS) ?? live;
  return { live, test };
}

/** Hours as milliseconds: a number from 0 to 8760 (a year). */
function readHours(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours < 0 || hours > 8760) {
    throw new Error(`${name} must be a number of hours from 0 to 8760, not "${value}"`);
  }
  return Math.round(hours * 3_600_000);
}

function readStripe(env: NodeJS.ProcessEnv): Config["stripe"] {
  const secretKey = env.STRIPE_SECRET_KEY;
  if (!secretKey) return undefined;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET;
  if (!webhookSecret) throw new Error("STRIPE_SECRET_KEY is set: STRIPE_WEBHOOK_SECRET must be set too");
  return { secretKey, webhookSecret, apiBase: env.STRIPE_API_BASE || undefined };
}

function readPublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new Error(
      `TOLLGATE_PUBLIC_URL must be an http(s) URL such as https://billing.example.com, not "${value}"`,
    );
  }
  return value.replace(/\/+$/, "");
}

function readPortalSecret(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32) throw new Error("TOLLGATE_PORTAL_SECRET must be at least 32 characters");
  return value;
}
