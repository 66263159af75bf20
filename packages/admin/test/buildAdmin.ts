import { build } from "vite";

/** Builds the admin UI into packages/admin/dist once, before the browser test serves it. */
export default async function setup() {
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname });
}
