import { prepareInstalledTemplate } from "./pgliteTemplate";

/**
 * Run by `npm ci` (postinstall): runs initdb and the migrations once, so the first `npm start`
 * loads a ready database instead. Best effort: without the template, start-up runs initdb.
 */
try {
  const started = performance.now();
  const path = await prepareInstalledTemplate();
  console.log(
    `tollgate: embedded database template ready (${path}, ${Math.round(performance.now() - started)} ms)`,
  );
} catch (error) {
  console.warn(`tollgate: no embedded database template (${String(error)}); the first start will run initdb`);
}
