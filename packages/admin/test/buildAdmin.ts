import { build } from "vite";

/**
 * Builds the admin UI into packages/admin/dist once, before the browser test serves it. Vitest
 * sets NODE_ENV=test, under which Vite and its React plugin make a development build (twice the
 * size, slower, effects run twice); the test walks the production build that `npm start` serves.
 */
export default async function setup() {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: new URL("../vite.config.ts", import.meta.url).pathname });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
