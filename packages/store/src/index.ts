export * from "./database";
export { writePgliteTemplate } from "./pgliteTemplate";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
