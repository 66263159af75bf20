export * from "./database";
export * as tables from "./schema";
export { openTestDatabase } from "./testDatabase";
