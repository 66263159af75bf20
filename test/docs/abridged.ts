/**
 * How a guide's abridged answer is held against the real one. JSON: every field shown must be
 * there with the value shown (objects may have more fields; each element shown in an array must
 * match some element of the real array); `"…"` stands for any value and a string ending in `…`
 * for any string it begins. Text: each line shown must appear, in order, `…` standing for
 * anything.
 */

const ELLIPSIS = "…";

/** The JSON values printed one after another (curl prints bodies without a separator). */
export function jsonValues(output: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < output.length; i++) {
    const char = output[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{" || char === "[") {
      if (depth === 0) start = i;
      depth++;
    } else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) values.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  return values;
}

/** Where `actual` departs from the abridged `expected`; empty when it matches. */
export function jsonMismatches(expected: unknown, actual: unknown, path = "$"): string[] {
  if (expected === ELLIPSIS) return actual === undefined ? [`${path}: missing`] : [];
  if (typeof expected === "string" && expected.endsWith(ELLIPSIS)) {
    const prefix = expected.slice(0, -ELLIPSIS.length);
    return typeof actual === "string" && actual.startsWith(prefix)
      ? []
      : [`${path}: expected a string starting ${JSON.stringify(prefix)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    return expected.flatMap((element, i) =>
      actual.some((candidate) => jsonMismatches(element, candidate).length === 0)
        ? []
        : [`${path}[${i}]: no element matches ${JSON.stringify(element)}`],
    );
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    }
    return Object.entries(expected).flatMap(([key, value]) =>
      key in actual
        ? jsonMismatches(value, (actual as Record<string, unknown>)[key], `${path}.${key}`)
        : [`${path}.${key}: missing`],
    );
  }
  return Object.is(expected, actual)
    ? []
    : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** The lines of `expected` that `output` lacks (in order); empty when every line is there. */
export function textMismatches(expected: string, output: string): string[] {
  const lines = output.split("\n");
  let from = 0;
  const missing: string[] = [];
  for (const line of expected.split("\n").map((l) => l.trim())) {
    if (line === "" || line === ELLIPSIS) continue;
    const pattern = new RegExp(line.split(ELLIPSIS).map(escapeRegExp).join(".*"));
    const found = lines.findIndex((candidate, i) => i >= from && pattern.test(candidate));
    if (found === -1) missing.push(line);
    else from = found + 1;
  }
  return missing;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
