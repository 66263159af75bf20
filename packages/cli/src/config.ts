import { resolve } from "node:path";

/** Settings from the environment, as API.md lists them. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  adminKey: string | undefined;
  seed: "demo" | undefined;
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
