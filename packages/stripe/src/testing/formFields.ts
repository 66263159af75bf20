import type { FormObject, FormValue } from "./formBody";
import { parameterInvalid, parameterMissing } from "./stripeErrors";

/** Typed reads of a decoded request body, failing the way Stripe does (400, naming the param). */
export function optionalString(body: FormObject, param: string): string | undefined {
  const value = body[param];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw parameterInvalid(param, `Invalid string: ${param}`);
  return value;
}

export function requiredString(body: FormObject, param: string): string {
  const value = optionalString(body, param);
  if (value === undefined || value === "") throw parameterMissing(param);
  return value;
}

export function optionalInteger(body: FormObject, param: string): number | undefined {
  const value = optionalString(body, param);
  if (value === undefined || value === "") return undefined;
  if (!/^-?\d+$/.test(value)) throw parameterInvalid(param, `Invalid integer: ${value}`);
  return Number(value);
}

export function optionalBoolean(body: FormObject, param: string): boolean | undefined {
  const value = optionalString(body, param);
  if (value === undefined || value === "") return undefined;
  if (value !== "true" && value !== "false") throw parameterInvalid(param, `Invalid boolean: ${value}`);
  return value === "true";
}

export function optionalObject(body: FormObject, param: string): FormObject | undefined {
  const value = body[param];
  if (value === undefined || value === "") return undefined;
  if (!isFormObject(value)) throw parameterInvalid(param, `Invalid object: ${param}`);
  return value;
}

export function optionalArray(body: FormObject, param: string): FormValue[] | undefined {
  const value = body[param];
  if (value === undefined || value === "") return undefined;
  if (!Array.isArray(value)) throw parameterInvalid(param, `Invalid array: ${param}`);
  return value;
}

/** An array of hashes such as `items[0][price]`; each entry's fields read with the helpers above. */
export function objectArray(body: FormObject, param: string): FormObject[] {
  return (optionalArray(body, param) ?? []).map((entry, index) => {
    if (!isFormObject(entry)) throw parameterInvalid(`${param}[${index}]`, `Invalid object: ${param}`);
    return entry;
  });
}

/** `metadata[key]=value` → a flat string map; Stripe's metadata values are strings. */
export function metadata(body: FormObject, param = "metadata"): Record<string, string> {
  const value = optionalObject(body, param) ?? {};
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string")
      throw parameterInvalid(`${param}[${key}]`, "Metadata values must be strings");
    if (entry !== "") result[key] = entry;
  }
  return result;
}

export function isFormObject(value: FormValue): value is FormObject {
  return typeof value === "object" && !Array.isArray(value);
}
