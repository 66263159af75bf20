import type { ApiKey, Engine } from "@tollgate/engine";
import type { Logger } from "pino";

/** What middleware puts on the request context for handlers. */
export interface AppEnv {
  Variables: {
    engine: Engine;
    logger: Logger;
    requestId: string;
    apiKey: ApiKey;
  };
}
