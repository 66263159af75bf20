import { TollgateError } from "@tollgate/core";

/** The single row an INSERT … RETURNING or a keyed SELECT must give back. */
export function one<T>(rows: T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new TollgateError("internal", "row_missing", `${what}: no row returned`);
  return row;
}
