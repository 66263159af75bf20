import { createHash, randomBytes } from "node:crypto";
import { TollgateError } from "@tollgate/core";
import { type Queryable, tables } from "@tollgate/store";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { newId } from "../ids";
import { one } from "../rows";

export const CreateApiKeyInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    type: z.enum(["secret", "admin"]),
    role: z.enum(["admin", "operator", "viewer"]).optional(),
    env: z.enum(["live", "test"]).default("live"),
  })
  .refine((k) => k.type === "admin" || k.role === undefined, {
    message: "only admin keys have a role",
    path: ["role"],
  });
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export type ApiKey = Omit<typeof tables.apiKeys.$inferSelect, "secretHash">;

const hashSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

function toApiKey(row: typeof tables.apiKeys.$inferSelect): ApiKey {
  const { secretHash: _hash, ...key } = row;
  return key;
}

/** Creates a key; its secret is returned once and only its hash is kept. */
export async function createApiKey(
  deps: EngineDeps,
  input: CreateApiKeyInput,
  command: AdminCommand,
  secret = `tg_${input.env}_${input.type === "admin" ? "admin" : "sk"}_${randomBytes(24).toString("base64url")}`,
): Promise<ApiKey & { secret: string }> {
  return deps.db.transaction(async (tx) => {
    const row = one(
      await tx
        .insert(tables.apiKeys)
        .values({
          id: newId("key"),
          name: input.name,
          type: input.type,
          role: input.type === "admin" ? (input.role ?? "admin") : null,
          env: input.env,
          secretHash: hashSecret(secret),
          prefix: secret.slice(0, 14),
          createdAt: deps.clock(),
        })
        .returning(),
      "api key",
    );
    const key = toApiKey(row);
    await writeAudit(tx, {
      ...command,
      action: "api_key.created",
      targetType: "api_key",
      targetId: key.id,
      after: key,
    });
    return { ...key, secret };
  });
}

export async function listApiKeys(db: Queryable): Promise<ApiKey[]> {
  return (await db.select().from(tables.apiKeys).orderBy(asc(tables.apiKeys.createdAt))).map(toApiKey);
}

/** The key row with this secret, revoked or not. */
async function keyRowBySecret(db: Queryable, secret: string) {
  const [row] = await db
    .select()
    .from(tables.apiKeys)
    .where(eq(tables.apiKeys.secretHash, hashSecret(secret)));
  return row;
}

export async function findApiKeyBySecret(db: Queryable, secret: string): Promise<ApiKey | undefined> {
  const row = await keyRowBySecret(db, secret);
  return row && !row.revokedAt ? toApiKey(row) : undefined;
}

/**
 * Makes sure a key with exactly this secret exists (TOLLGATE_ADMIN_KEY, the demo's keys). A
 * revoked one stays revoked: its secret was given up, so it is refused, never made again.
 */
export async function ensureApiKey(
  deps: EngineDeps,
  secret: string,
  input: CreateApiKeyInput,
  command: AdminCommand,
): Promise<ApiKey> {
  const row = await keyRowBySecret(deps.db, secret);
  if (row?.revokedAt) {
    throw new TollgateError(
      "conflict",
      "api_key_revoked",
      `the key "${row.name}" (${row.id}) with this secret was revoked; choose a new secret`,
    );
  }
  return row ? toApiKey(row) : createApiKey(deps, input, command, secret);
}

/**
 * Revokes a key: from now on it authenticates nothing, in this process at once and in every
 * other within its next look at the audit log (`followChanges`). The key stays listed, with
 * `revokedAt`. Revoking a revoked key changes nothing and answers it as it is.
 */
export async function revokeApiKey(deps: EngineDeps, id: string, command: AdminCommand): Promise<ApiKey> {
  const revoked = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(tables.apiKeys).where(eq(tables.apiKeys.id, id)).for("update");
    if (!row)
      throw new TollgateError("not_found", "api_key_not_found", `no API key "${id}"`, { param: "id" });
    if (row.revokedAt) return toApiKey(row);
    const before = toApiKey(row);
    const after = toApiKey(
      one(
        await tx
          .update(tables.apiKeys)
          .set({ revokedAt: deps.clock() })
          .where(eq(tables.apiKeys.id, id))
          .returning(),
        "api key",
      ),
    );
    await writeAudit(tx, {
      ...command,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: id,
      before,
      after,
    });
    return after;
  });
  deps.apiKeys.forget(id);
  return revoked;
}

/**
 * The keys this process has authenticated, by secret: a request's key is then found without a
 * query. A revoked key leaves it when revoked here, or when `followChanges` reads its revocation.
 */
export class ApiKeyCache {
  readonly #bySecret = new Map<string, ApiKey>();

  get(secret: string): ApiKey | undefined {
    return this.#bySecret.get(secret);
  }

  set(secret: string, key: ApiKey): void {
    this.#bySecret.set(secret, key);
  }

  forget(id: string): void {
    for (const [secret, key] of this.#bySecret) if (key.id === id) this.#bySecret.delete(secret);
  }

  clear(): void {
    this.#bySecret.clear();
  }
}

/** The active key with this secret, from the cache or the database; undefined if none (or revoked). */
export async function authenticateApiKey(deps: EngineDeps, secret: string): Promise<ApiKey | undefined> {
  const cached = deps.apiKeys.get(secret);
  if (cached) return cached;
  const key = await findApiKeyBySecret(deps.db, secret);
  if (key) deps.apiKeys.set(secret, key);
  return key;
}
