export { type AppOptions, createApp } from "./app";
export { createLogger } from "./logger";
export { toApiCustomerWithSubscription } from "./routes/toApi";
export { startServer } from "./serve";
