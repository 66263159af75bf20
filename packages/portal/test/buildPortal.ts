import { build } from "vite";

/** Builds the customer portal into packages/portal/dist once, before the browser test serves it. */
export default async function setup() {
  await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname });
}
