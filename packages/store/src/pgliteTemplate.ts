import { existsSync, mkdirSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Database, wrapPglite } from "./database";
import { installedTemplatePath } from "./embedded";

/**
 * Creating a PGlite database runs initdb, which takes seconds; loading a dump of a migrated
 * one takes about one. Test runs make the dump once (`writePgliteTemplate`) and every test
 * file loads it.
 */
export async function writePgliteTemplate(path: string): Promise<void> {
  const client = new PGlite();
  await client.waitReady;
  const database = wrapPglite(client);
  await database.migrate();
  const dump = await client.dumpDataDir("none");
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  await database.close();
}

/** Writes the installed template once; a second call finds it and does nothing. */
export async function prepareInstalledTemplate(): Promise<string> {
  const path = installedTemplatePath();
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writePgliteTemplate(partial);
  await rename(partial, path);
  return path;
}

export async function openFromPgliteTemplate(path: string): Promise<Database> {
  const bytes = await readFile(path);
  const client = new PGlite({ loadDataDir: new Blob([bytes]) });
  await client.waitReady;
  return wrapPglite(client);
}
