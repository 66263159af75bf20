export * from "./database";
export { ensureEventPartitions } from "./eventPartitions";
export { transactionOpenedWith } from "./openedTransaction";
export { writePgliteTemplate } from "./pgliteTemplate";
export { executePrepared, isAnyOf, type Query, type Row, run, type Statement, shaped } from "./prepared";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
