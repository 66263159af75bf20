export * from "./database";
export { ensureEventPartitions } from "./eventPartitions";
export { transactionOpenedWith } from "./openedTransaction";
export { writePgliteTemplate } from "./pgliteTemplate";
export { executePrepared, type Row, run, type Statement } from "./prepared";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
