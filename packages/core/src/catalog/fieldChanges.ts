/** One field that differs: its dotted path, and its value before and after (absent when the field is). */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The leaves in which two JSON values differ (`entitlements.ai_tokens.limit: 1000 → 2000`).
 * Key order never counts; array items are compared by position.
 */
export function fieldChanges(before: unknown, after: unknown, path = ""): FieldChange[] {
  const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], at(key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => fieldChanges(before[i], after[i], at(i))).flat();
  }
  if (before === after) return [];
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}
