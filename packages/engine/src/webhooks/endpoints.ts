import { randomBytes } from "node:crypto";
import { notFound } from "@tollgate/core";
import { tables } from "@tollgate/store";
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../audit/writeAudit";
import type { AdminCommand, EngineDeps } from "../context";
import { DOMAIN_EVENT_TYPES } from "../events/emitEvent";
import { newId } from "../ids";
import { one } from "../rows";

export const CreateWebhookEndpointInput = z.object({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
  eventTypes: z.array(z.enum(DOMAIN_EVENT_TYPES)).max(DOMAIN_EVENT_TYPES.length).default([]),
  env: z.enum(["live", "test"]).default("live"),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookEndpointInput = z.infer<typeof CreateWebhookEndpointInput>;

const t = tables.webhookEndpoints;
export type WebhookEndpoint = Omit<typeof t.$inferSelect, "secret">;

const withoutSecret = ({ secret: _secret, ...endpoint }: typeof t.$inferSelect): WebhookEndpoint => endpoint;

/** Registers an endpoint; its signing secret is answered once. */
export async function createWebhookEndpoint(
  deps: EngineDeps,
  input: CreateWebhookEndpointInput,
  command: AdminCommand,
): Promise<WebhookEndpoint & { secret: string }> {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  return deps.db.transaction(async (tx) => {
    const row = one(
      await tx
        .insert(t)
        .values({
          id: newId("we"),
          env: input.env,
          url: input.url,
          secret,
          eventTypes: input.eventTypes,
          description: input.description ?? null,
          createdAt: deps.clock(),
        })
        .returning(),
      "webhook endpoint",
    );
    const endpoint = withoutSecret(row);
    await writeAudit(tx, {
      ...command,
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: endpoint.id,
      env: endpoint.env,
      after: endpoint,
    });
    return { ...endpoint, secret };
  });
}

export async function listWebhookEndpoints(deps: EngineDeps): Promise<WebhookEndpoint[]> {
  return (await deps.db.select().from(t).orderBy(asc(t.createdAt))).map(withoutSecret);
}

/** Stops deliveries to an endpoint (pending ones are given up); kept for its delivery log. */
export async function disableWebhookEndpoint(
  deps: EngineDeps,
  id: string,
  command: AdminCommand,
): Promise<WebhookEndpoint> {
  return deps.db.transaction(async (tx) => {
    const [before] = await tx.select().from(t).where(eq(t.id, id)).for("update");
    if (!before) throw notFound("webhook_endpoint_not_found", `no webhook endpoint "${id}"`, "id");
    const now = deps.clock();
    const after = one(
      await tx.update(t).set({ enabled: false, disabledAt: now }).where(eq(t.id, id)).returning(),
      "webhook endpoint",
    );
    const d = tables.webhookDeliveries;
    await tx
      .update(d)
      .set({ status: "failed", lastError: "endpoint disabled" })
      .where(and(eq(d.endpointId, id), eq(d.status, "pending")));
    await writeAudit(tx, {
      ...command,
      action: "webhook_endpoint.disabled",
      targetType: "webhook_endpoint",
      targetId: id,
      env: after.env,
      before: withoutSecret(before),
      after: withoutSecret(after),
    });
    return withoutSecret(after);
  });
}

/** The endpoint's deliveries, newest first, each with the log of its attempts. */
export async function listDeliveries(deps: EngineDeps, id: string, limit = 50) {
  const d = tables.webhookDeliveries;
  const a = tables.webhookAttempts;
  const [endpoint] = await deps.db.select({ id: t.id }).from(t).where(eq(t.id, id));
  if (!endpoint) throw notFound("webhook_endpoint_not_found", `no webhook endpoint "${id}"`, "id");
  const deliveries = await deps.db
    .select()
    .from(d)
    .where(eq(d.endpointId, id))
    .orderBy(desc(d.eventSeq))
    .limit(limit);
  const attempts = await deps.db.select().from(a).where(eq(a.endpointId, id)).orderBy(asc(a.attempt));
  return deliveries.map((delivery) => ({
    ...delivery,
    messageId: messageId(delivery.eventSeq),
    log: attempts
      .filter((attempt) => attempt.eventSeq === delivery.eventSeq)
      .map(({ attempt, at, status, error, durationMs }) => ({ attempt, at, status, error, durationMs })),
  }));
}

/** The Standard Webhooks message id of an outbox event: stable across retries. */
export const messageId = (seq: number) => `msg_${seq}`;
