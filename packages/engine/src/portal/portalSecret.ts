import { randomBytes } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { eq } from "drizzle-orm";
import type { EngineDeps } from "../context";

const NAME = "portal_links";
const loaded = new WeakMap<EngineDeps, Promise<Buffer>>();

/**
 * The key that signs customer portal links: `TOLLGATE_PORTAL_SECRET` (config.portalSecret) when
 * set, else one made at random by the first process that needs it and stored in
 * `installation_secrets`, so every process of the installation and every restart signs alike.
 * Read once per engine.
 */
export function portalSecret(deps: EngineDeps): Promise<Buffer> {
  let secret = loaded.get(deps);
  if (!secret) {
    secret = deps.config.portalSecret
      ? Promise.resolve(Buffer.from(deps.config.portalSecret, "utf8"))
      : storedSecret(deps);
    loaded.set(deps, secret);
    secret.catch(() => loaded.delete(deps));
  }
  return secret;
}

async function storedSecret(deps: EngineDeps): Promise<Buffer> {
  const s = tables.installationSecrets;
  // Two processes starting at once both insert; the first row wins and both read it back.
  await deps.db
    .insert(s)
    .values({ name: NAME, secret: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await deps.db.select({ secret: s.secret }).from(s).where(eq(s.name, NAME));
  if (!row) throw new TollgateError("internal", "portal_secret_missing", "the portal secret was not stored");
  return Buffer.from(row.secret, "base64url");
}
