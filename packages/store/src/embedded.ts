import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

/**
 * Where `npm ci` leaves a migrated template for this PGlite version (see `prepareTemplate.ts`):
 * `npm start` on an empty data directory loads it (~1 s) instead of running initdb (~5 s).
 */
export function installedTemplatePath(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
  return join(root, "node_modules", ".cache", "tollgate", `pglite-${pgliteVersion()}.tar`);
}

/** The installed PGlite's version (its package.json is not exported, so found from its entry). */
function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        version: string;
      };
      if (name === "@electric-sql/pglite") return version;
    }
    dir = dirname(dir);
  }
  return "unknown";
}

/** A new PGlite in `dataDir`, from the installed template when the directory is new and one exists. */
export async function newPglite(dataDir: string): Promise<PGlite> {
  const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  const template = installedTemplatePath();
  mkdirSync(dataDir, { recursive: true });
  if (fresh && existsSync(template)) {
    return new PGlite(dataDir, { loadDataDir: new Blob([await readFile(template)]) });
  }
  return new PGlite(dataDir);
}
