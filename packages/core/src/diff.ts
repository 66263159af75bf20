/*
 * Two records compared field by field, for the admin UI's before/after tables and the CLI's
 * audit lines (`@tollgate/core/diff`): no imports, so a browser bundle takes nothing else of core.
 */

/** One leaf of two records compared side by side; a missing side is `undefined`. */
export interface DiffRow {
  path: string;
  before: string | undefined;
  after: string | undefined;
  change: "added" | "removed" | "changed" | "same";
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Objects open into dotted paths; arrays, scalars and null are leaves, shown as JSON. */
function leaves(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (isRecord(value) && (Object.keys(value).length > 0 || prefix === "")) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, prefix ? `${prefix}.${key}` : key, into);
  } else if (value !== undefined && !(prefix === "" && value === null)) {
    into.set(prefix || "(value)", JSON.stringify(value));
  }
  return into;
}

/**
 * Compares two records field by field, in path order: what was added, removed or changed, and
 * what stayed the same. A null or absent record is empty (a creation has only added rows).
 */
export function diffRecords(before: unknown, after: unknown): DiffRow[] {
  const a = leaves(before, "", new Map());
  const b = leaves(after, "", new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.map((path) => {
    const was = a.get(path);
    const is = b.get(path);
    const change =
      was === undefined ? "added" : is === undefined ? "removed" : was === is ? "same" : "changed";
    return { path, before: was, after: is, change };
  });
}
