import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writePgliteTemplate } from "@tollgate/store";

/** One migrated PGlite dump for the whole run; each test file loads it instead of running initdb. */
export default async function setup() {
  if (process.env.DATABASE_URL) return;
  const dir = mkdtempSync(join(tmpdir(), "tollgate-pglite-"));
  const path = join(dir, "template.tar");
  await writePgliteTemplate(path);
  process.env.TOLLGATE_PGLITE_TEMPLATE = path;
  return () => rmSync(dir, { recursive: true, force: true });
}
