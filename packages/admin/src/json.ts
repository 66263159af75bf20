import { errorMessage } from "./api";

/** JSON as the editors show it: two-space indents. */
export const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

/** What a JSON editor holds: an object, or why it is not one. */
export function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { error: "must be a JSON object" };
    }
    return { value: value as Record<string, unknown> };
  } catch (failure) {
    return { error: errorMessage(failure) };
  }
}
