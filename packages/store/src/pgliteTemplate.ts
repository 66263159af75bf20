import { readFile, writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { type Database, wrapPglite } from "./database";

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

export async function openFromPgliteTemplate(path: string): Promise<Database> {
  const bytes = await readFile(path);
  const client = new PGlite({ loadDataDir: new Blob([bytes]) });
  await client.waitReady;
  return wrapPglite(client);
}
