export { readConfig } from "./config";
export type { Io } from "./io";
export { type ImportSummary, usageImport } from "./usageImport";
