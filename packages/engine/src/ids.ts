import { randomBytes } from "node:crypto";

/** A fresh, unguessable id with a readable prefix: `ov_3kq9…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}
