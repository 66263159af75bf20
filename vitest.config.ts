import { defineConfig } from "vitest/config";

const startupTest = "packages/cli/test/serve.test.ts";
const browserTests = [
  "packages/admin/test/**/*.browser.test.ts",
  "packages/portal/test/**/*.browser.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["test/globalSetup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
          exclude: [startupTest, ...browserTests, "**/node_modules/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The start-up time is a user-visible promise (under 10 s): measure it alone, after the suite.
        extends: true,
        test: { name: "startup", include: [startupTest], sequence: { groupOrder: 1 } },
      },
      {
        // The admin UI and the customer portal in Debian's chromium, on fresh builds: alone, last.
        extends: true,
        test: {
          name: "browser",
          include: browserTests,
          globalSetup: ["packages/admin/test/buildAdmin.ts", "packages/portal/test/buildPortal.ts"],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
