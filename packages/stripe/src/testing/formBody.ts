/** A decoded Stripe request body: bracket keys become nested objects and arrays. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/**
 * Parses Stripe's form encoding (`items[0][price]=price_1`, `metadata[key]=v`, `expand[]=x`)
 * into nested values, the way Stripe's `qs`-style server reads it. Numeric keys make arrays,
 * kept in index order; `[]` appends. An empty value stays `""` (Stripe's "unset").
 */
export function parseFormBody(body: string): FormObject {
  const root: Draft = {};
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const separator = pair.indexOf("=");
    const rawKey = separator === -1 ? pair : pair.slice(0, separator);
    const rawValue = separator === -1 ? "" : pair.slice(separator + 1);
    const path = keyPath(decode(rawKey));
    if (path.includes("__proto__")) continue;
    assign(root, path, decode(rawValue));
  }
  return finishObject(root);
}

function decode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, " "));
}

/** `items[0][price]` → ["items", "0", "price"]; `expand[]` → ["expand", ""]. */
function keyPath(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const path = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(match[1] ?? "");
  return path;
}

type Draft = { [key: string]: Draft | string };

function assign(target: Draft, path: string[], value: string): void {
  let node = target;
  path.forEach((segment, index) => {
    const key = segment === "" ? `${Object.keys(node).length}` : segment;
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next === "object") {
      node = next;
    } else {
      const child: Draft = {};
      node[key] = child;
      node = child;
    }
  });
}

/** Objects whose keys are all indices become arrays, in index order. */
function finish(draft: Draft | string): FormValue {
  if (typeof draft === "string") return draft;
  const keys = Object.keys(draft);
  const isArray = keys.length > 0 && keys.every((key) => /^\d+$/.test(key));
  if (isArray) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finish(draft[String(index)] ?? ""));
  }
  return finishObject(draft);
}

function finishObject(draft: Draft): FormObject {
  const result: FormObject = {};
  for (const [key, value] of Object.entries(draft)) result[key] = finish(value);
  return result;
}
