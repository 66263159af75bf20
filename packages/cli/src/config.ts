import { resolve } from "node:path";

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
    stripe: readStripe(env),
  };
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
