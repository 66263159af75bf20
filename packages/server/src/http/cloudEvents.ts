/**
 * A CloudEvent (structured JSON) as a usage event: `id` is the event id, `subject` the customer,
 * `time` the timestamp, `data.feature` (or the event `type`) the feature, `data.quantity` the
 * quantity; `data.workspaceId`, `data.userId` and `data.properties` carry over. Fields the
 * mapping cannot find are left out, so the usual per-event validation names them.
 */
export function fromCloudEvent(event: Record<string, unknown>): Record<string, unknown> {
  const data = isObject(event.data) ? event.data : {};
  const mapped: Record<string, unknown> = {
    id: event.id,
    customerId: event.subject,
    feature: data.feature ?? event.type,
    quantity: data.quantity ?? 1,
    timestamp: event.time,
    workspaceId: data.workspaceId,
    userId: data.userId,
    properties: data.properties,
  };
  return Object.fromEntries(Object.entries(mapped).filter(([, value]) => value !== undefined));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
