import {
  type EvaluationContext,
  FlagNotFoundError,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  TargetingKeyMissingError,
} from "@openfeature/server-sdk";
import {
  type ClientOptions,
  type CustomerHandle,
  createClient,
  type Entitlement,
  type TollgateClient,
} from "@tollgate/sdk";
import { type FlagKey, parseFlagKey } from "./flagKey";
import { resolveBoolean, resolveNumber, resolveObject, resolveString } from "./resolveFlag";

/** A client of your own (closed by you), or the options to make one (closed with the provider). */
export type TollgateProviderOptions = { client: TollgateClient } | ClientOptions;

/**
 * An OpenFeature server provider answering from the Tollgate SDK's entitlement cache. The
 * evaluation context's `targetingKey` is the customer id. Flag keys are feature keys, with
 * `:limit`, `:remaining` or `:used` for a metered feature's numbers (see resolveFlag.ts).
 *
 * A customer's first evaluation waits for its entitlements to load; later ones answer from
 * memory. When the cache cannot answer currently (server unreachable, entitlements stale; see
 * the SDK's failure policy), evaluation fails with GENERAL and OpenFeature answers the caller's
 * default value: in flag evaluations the default value is the failure policy.
 */
export class TollgateProvider implements Provider {
  readonly metadata = { name: "tollgate" } as const;
  readonly runsOn = "server";
  readonly events = new OpenFeatureEventEmitter();
  readonly #client: TollgateClient;
  readonly #ownsClient: boolean;

  constructor(options: TollgateProviderOptions) {
    if ("client" in options) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      this.#client = createClient({
        ...options,
        onEvent: (event) => {
          this.events.emit(ProviderEvents.ConfigurationChanged, {
            message: `${event.type} for ${event.customerId ?? "every customer"}`,
          });
          options.onEvent?.(event);
        },
      });
      this.#ownsClient = true;
    }
  }

  async onClose(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  async resolveBooleanEvaluation(
    flagKey: string,
    _defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    const { key, entitlement, handle } = await this.#lookup(flagKey, context);
    return resolveBoolean(key, entitlement, handle);
  }

  async resolveNumberEvaluation(
    flagKey: string,
    _defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    const { key, entitlement } = await this.#lookup(flagKey, context);
    return resolveNumber(key, entitlement);
  }

  async resolveStringEvaluation(
    flagKey: string,
    _defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    const { key, entitlement } = await this.#lookup(flagKey, context);
    return resolveString(key, entitlement);
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    _defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    const { key, entitlement } = await this.#lookup(flagKey, context);
    // OpenFeature checks the answer is an object; the caller's T is a promise we cannot check further.
    return resolveObject(key, entitlement) as ResolutionDetails<T>;
  }

  async #lookup(
    flagKey: string,
    context: EvaluationContext,
  ): Promise<{ key: FlagKey; entitlement: Entitlement; handle: CustomerHandle }> {
    const customerId = context.targetingKey;
    if (!customerId)
      throw new TargetingKeyMissingError("targetingKey (the Tollgate customer id) is required");
    const handle = this.#client.customer(customerId);
    if (handle.status() === "loading") await handle.ready().catch(() => {});
    const status = handle.status();
    if (status !== "fresh") {
      throw new GeneralError(`entitlements of ${customerId} are ${status}`, { cause: handle.lastError() });
    }
    const key = parseFlagKey(flagKey);
    const entitlement = handle.entitlement(key.feature);
    if (!entitlement) throw new FlagNotFoundError(`${key.feature} is not in ${customerId}'s plan`);
    return { key, entitlement, handle };
  }
}
