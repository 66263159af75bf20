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

it("reads the late window in hours, for both environments or the test one apart, naming a bad value", () => {
  const hour = 3_600_000;
  expect(readConfig({}).lateWindowMs).toEqual({ live: 72 * hour, test: 72 * hour });
  expect(readConfig({ TOLLGATE_LATE_WINDOW_HOURS: "24" }).lateWindowMs).toEqual({
    live: 24 * hour,
    test: 24 * hour,
  });
  expect(
    readConfig({ TOLLGATE_LATE_WINDOW_HOURS: "24", TOLLGATE_TEST_LATE_WINDOW_HOURS: "0.5" }).lateWindowMs,
  ).toEqual({ live: 24 * hour, test: hour / 2 });
  expect(() => readConfig({ TOLLGATE_LATE_WINDOW_HOURS: "3 days" })).toThrow(
    'TOLLGATE_LATE_WINDOW_HOURS must be a number of hours from 0 to 8760, not "3 days"',
  );
  expect(() => readConfig({ TOLLGATE_TEST_LATE_WINDOW_HOURS: "-1" })).toThrow(
    /TOLLGATE_TEST_LATE_WINDOW_HOURS/,
  );
});
