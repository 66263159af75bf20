export * from "./database";
export { ensureEventPartitions } from "./eventPartitions";
export { writePgliteTemplate } from "./pgliteTemplate";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
export { executePrepared } from "./prepared";
