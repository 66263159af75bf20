import { createHash, randomBytes } from "node:crypto";
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

export async function findApiKeyBySecret(db: Queryable, secret: string): Promise<ApiKey | undefined> {
  const [row] = await db
    .select()
    .from(tables.apiKeys)
    .where(eq(tables.apiKeys.secretHash, hashSecret(secret)));
  return row && !row.revokedAt ? toApiKey(row) : undefined;
}

/** Makes sure a key with exactly this secret exists (TOLLGATE_ADMIN_KEY, the demo's keys). */
export async function ensureApiKey(
  deps: EngineDeps,
  secret: string,
  input: CreateApiKeyInput,
  command: AdminCommand,
): Promise<ApiKey> {
  return (await findApiKeyBySecret(deps.db, secret)) ?? createApiKey(deps, input, command, secret);
}
