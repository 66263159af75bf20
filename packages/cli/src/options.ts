import { InvalidArgumentError, Option } from "commander";

/** `--env live|test`, default live: the environment whose customers a command reads or writes. */
export const envOption = () =>
  new Option("--env <env>", "the environment of the customers").choices(["live", "test"]).default("live");

export const jsonOption = (description = "print the answer as JSON") =>
  new Option("--json", description).default(false);

/** A whole number from 1 to `max`, for `--limit`. */
export const positiveInteger =
  (max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };

/** An ISO-8601 instant with a zone, for `--at`. */
export function instant(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(at.getTime()))
    throw new InvalidArgumentError("must be an ISO-8601 instant with a zone, e.g. 2026-06-01T00:00:00Z");
  return at;
}
