export { type AppOptions, createApp } from "./app";
export { createLogger } from "./logger";
export { startServer } from "./serve";
