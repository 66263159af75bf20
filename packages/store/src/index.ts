export * from "./database";
export { ensureEventPartitions } from "./eventPartitions";
export { transactionOpenedWith } from "./openedTransaction";
export { writePgliteTemplate } from "./pgliteTemplate";
export { executePrepared } from "./prepared";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
