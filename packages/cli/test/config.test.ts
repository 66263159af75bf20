import { expect, it } from "vitest";
import { readConfig } from "../src/config";

it("reads TOLLGATE_PUBLIC_URL and TOLLGATE_PORTAL_SECRET, refusing a non-http URL and a short secret", () => {
  expect(readConfig({})).toMatchObject({ publicUrl: undefined, portalSecret: undefined });
  const secret = "s".repeat(32);
  expect(
    readConfig({ TOLLGATE_PUBLIC_URL: "https://billing.example.com/", TOLLGATE_PORTAL_SECRET: secret }),
  ).toMatchObject({ publicUrl: "https://billing.example.com", portalSecret: secret });
  expect(() => readConfig({ TOLLGATE_PUBLIC_URL: "billing.example.com" })).toThrow(/TOLLGATE_PUBLIC_URL/);
  expect(() => readConfig({ TOLLGATE_PORTAL_SECRET: "short" })).toThrow(/at least 32 characters/);
});
