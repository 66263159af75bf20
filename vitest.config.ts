import { defineConfig } from "vitest/config";

const startupTest = "packages/cli/test/serve.test.ts";
const browserTest = "packages/admin/test/**/*.browser.test.ts";

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
          exclude: [startupTest, browserTest, "**/node_modules/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The start-up time is a user-visible promise (under 10 s): measure it alone, after the suite.
        extends: true,
        test: { name: "startup", include: [startupTest], sequence: { groupOrder: 1 } },
      },
      {
        // The admin UI in Debian's chromium, on a fresh build of packages/admin: alone, last.
        extends: true,
        test: {
          name: "browser",
          include: [browserTest],
          globalSetup: ["packages/admin/test/buildAdmin.ts"],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
