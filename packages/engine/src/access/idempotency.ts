import { type Queryable, tables } from "@tollgate/store";
import { and, eq } from "drizzle-orm";

export interface StoredResponse {
  requestHash: string;
  status: number;
  response: unknown;
}

export async function findIdempotentResponse(
  db: Queryable,
  apiKeyId: string,
  key: string,
): Promise<StoredResponse | undefined> {
  const t = tables.idempotencyKeys;
  const [row] = await db
    .select()
    .from(t)
    .where(and(eq(t.apiKeyId, apiKeyId), eq(t.key, key)));
  return row;
}

/** Keeps the first response for a key; a racing second writer leaves the first in place. */
export async function saveIdempotentResponse(
  db: Queryable,
  apiKeyId: string,
  key: string,
  stored: StoredResponse,
): Promise<void> {
  await db
    .insert(tables.idempotencyKeys)
    .values({ apiKeyId, key, ...stored })
    .onConflictDoNothing();
}
