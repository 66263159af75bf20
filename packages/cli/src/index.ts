export { readConfig } from "./config";
