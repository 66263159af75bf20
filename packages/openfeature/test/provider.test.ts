import { ErrorCode, OpenFeature, ProviderEvents, StandardResolutionReasons } from "@openfeature/server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  countingFetch,
  DEMO_KEYS,
  eventually,
  type LiveServer,
  startLiveServer,
} from "../../sdk/test/liveServer";
import { TollgateProvider } from "../src/index";

let server: LiveServer;
const counter = countingFetch();
const changes: string[] = [];
beforeAll(async () => {
  server = await startLiveServer();
  const provider = new TollgateProvider({
    baseUrl: server.baseUrl,
    apiKey: DEMO_KEYS.liveSecret,
    fetch: counter.fetch,
  });
  await OpenFeature.setProviderAndWait(provider);
  OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
    changes.push(details?.message ?? "");
  });
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
});

const flags = () => OpenFeature.getClient();
const acme = { targetingKey: "acme" };

describe("the Tollgate OpenFeature provider", () => {
  it("boolean flags: whether the customer may use the feature, STATIC for on/off features", async () => {
    const sla = await flags().getBooleanDetails("sla_custom", false, acme);
    expect(sla).toMatchObject({ value: true, reason: StandardResolutionReasons.STATIC });
    expect(sla.flagMetadata).toMatchObject({ source: "override", type: "boolean" });
    expect(await flags().getBooleanValue("sso", false, acme)).toBe(true);
    const tokens = await flags().getBooleanDetails("ai_tokens", false, acme);
    expect(tokens).toMatchObject({ value: true, reason: StandardResolutionReasons.CACHED });
  });

  it("later evaluations answer from the cache with no network call", async () => {
    await flags().getBooleanValue("sso", false, acme);
    const before = counter.counts.other;
    for (let i = 0; i < 100; i++) await flags().getBooleanValue("sso", false, acme);
    await flags().getNumberValue("ai_tokens", 0, acme);
    expect(counter.counts.other).toBe(before);
  });

  it("number flags: remaining by default, :limit and :used on request, a config number as is", async () => {
    expect(await flags().getNumberDetails("ai_tokens", 0, acme)).toMatchObject({
      value: 1_000_000,
      reason: StandardResolutionReasons.CACHED,
    });
    expect(await flags().getNumberDetails("ai_tokens:limit", 0, acme)).toMatchObject({
      value: 1_000_000,
      reason: StandardResolutionReasons.STATIC,
    });
    expect(await flags().getNumberValue("ai_tokens:used", -1, acme)).toBe(0);
    expect(await flags().getNumberValue("max_projects", 0, acme)).toBe(200);
  });

  it("string and object flags: config values", async () => {
    expect(await flags().getStringDetails("support.tier", "none", acme)).toMatchObject({
      value: "priority",
      reason: StandardResolutionReasons.STATIC,
    });
    const object = await flags().getObjectDetails("support.tier", {}, acme);
    expect(object).toMatchObject({ value: {}, errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it("errors: TARGETING_KEY_MISSING, FLAG_NOT_FOUND, TYPE_MISMATCH, GENERAL, each answering the default", async () => {
    expect(await flags().getBooleanDetails("sso", false, {})).toMatchObject({
      value: false,
      reason: StandardResolutionReasons.ERROR,
      errorCode: ErrorCode.TARGETING_KEY_MISSING,
    });
    expect(
      await flags().getBooleanDetails("infra_dedicated", true, { targetingKey: "initech" }),
    ).toMatchObject({ value: true, errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(await flags().getStringDetails("sso", "x", acme)).toMatchObject({
      value: "x",
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await flags().getNumberDetails("sso", 7, acme)).toMatchObject({
      value: 7,
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await flags().getBooleanDetails("sso", true, { targetingKey: "nobody" })).toMatchObject({
      value: true,
      errorCode: ErrorCode.GENERAL,
    });
  });

  it("a change made through the admin API reaches flag evaluations and raises ConfigurationChanged", async () => {
    expect(await flags().getNumberValue("workflow_runs:limit", 0, { targetingKey: "initech" })).toBe(1000);
    const answer = await server.admin("PUT", "/v1/admin/customers/initech/overrides", {
      overrides: { entitlements: { workflow_runs: { limit: 1500 } } },
      reason: "openfeature test",
    });
    expect(answer.status).toBe(200);
    let limit = 0;
    const reached = await eventually(() => {
      void flags()
        .getNumberValue("workflow_runs:limit", 0, { targetingKey: "initech" })
        .then((value) => {
          limit = value;
        });
      return limit === 1500;
    });
    expect(reached).toBe(true);
    expect(changes.some((message) => message.includes("initech"))).toBe(true);
  });
});
