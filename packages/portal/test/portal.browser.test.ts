import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunChromium, openChromium, screenshotDir } from "../../admin/test/chromium";
import { startLiveAdmin } from "../../admin/test/liveAdmin";

const screenshots = screenshotDir();

describe.skipIf(!canRunChromium)("the customer portal in a real browser", () => {
  let live: Awaited<ReturnType<typeof startLiveAdmin>>;
  let browser: Awaited<ReturnType<typeof openChromium>>;
  let page: Page;

  beforeAll(async () => {
    live = await startLiveAdmin();
    browser = await openChromium({ width: 900, height: 900 });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  /** Mints a link with the demo's live secret key and opens it. */
  const open = async (customerId: string, body: unknown = {}) => {
    const minted = await live.t.call("POST", `/v1/customers/${customerId}/portal-links`, {
      key: "liveSecret",
      body,
    });
    expect(minted.status).toBe(201);
    await page.goto(`${live.baseUrl}/portal/${minted.body.token}`);
    return minted.body.token as string;
  };

  it("a Standard customer sees their limits and the upgrade button; Acme sees its contract's label and none; an expired link says so", async () => {
    const usage: Array<[string, number]> = [
      ["workflow_runs", 1],
      ["workflow_runs", 1],
      ["storage.gb", 42],
      ["automation_triggers", 45],
    ];
    for (const [i, [feature, quantity]] of usage.entries()) {
      const tracked = await live.t.call("POST", "/v1/track", {
        key: "liveSecret",
        body: { customerId: "globex", feature, quantity, id: `browser_${i}` },
      });
      expect(tracked.status).toBe(200);
    }
    await open("globex", { returnUrl: "https://app.example/billing" });
    await page.getByRole("heading", { name: "Globex" }).waitFor();
    expect(await page.getByTestId("plan-label").textContent()).toBe("Standard");
    const runs = page.getByTestId("limit").filter({ hasText: "Workflow runs" });
    expect(await runs.textContent()).toContain("2 of 10,000 runs used · 9,998 remaining");
    expect(await runs.textContent()).toContain("Resets 2026-07-15 12:00 UTC");
    expect(await runs.textContent()).toContain("Past the limit: $0.002 per run");
    const bar = page.getByRole("progressbar", { name: "Workflow runs" });
    expect(await bar.getAttribute("value")).toBe("2");
    expect(await bar.getAttribute("max")).toBe("10000");
    expect(await page.getByTestId("limit").filter({ hasText: "Storage" }).textContent()).toContain(
      "42 of 50 GB used · 8 remaining",
    );
    expect(await page.getByTestId("limit").count()).toBe(4);
    expect(await page.getByRole("link", { name: "Back to the app" }).getAttribute("href")).toBe(
      "https://app.example/billing",
    );
    const upgrade = page.getByRole("button", { name: "Upgrade to Team Pro" });
    await upgrade.waitFor();
    expect(await page.getByRole("button", { name: /^Upgrade to/ }).count()).toBe(2);
    await page.screenshot({ path: join(screenshots, "portal.png"), fullPage: true });

    // No payment provider in this app: the button says so instead of leaving the page.
    await upgrade.click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("Online upgrades are not available yet. Please contact us to change your plan.");
    expect(page.url()).toContain("/portal/");

    // Acme's deal prices seats past the five its base fee covers.
    const overrides = await live.t.call("GET", "/v1/admin/customers/acme/overrides");
    const priced = await live.t.call("PUT", "/v1/admin/customers/acme/overrides", {
      body: {
        overrides: { ...overrides.body.current.overrides, monthlySeatPrice: 1200, includedSeats: 5 },
        reason: "Acme amendment: $12 a seat past five",
      },
    });
    expect(priced.status).toBe(200);
    await open("acme");
    await page.getByRole("heading", { name: "Acme Corp" }).waitFor();
    expect(await page.getByTestId("plan-label").textContent()).toBe("Acme Corp Enterprise");
    expect(await page.getByTestId("seats").textContent()).toBe(
      "0 of 50 · $12.00 a seat a month past 5 included",
    );
    await page.getByRole("progressbar", { name: "AI tokens" }).waitFor();
    expect(await page.getByRole("button").count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Upgrade" }).count()).toBe(0);

    const token = await open("globex", { expiresIn: 60 });
    await page.getByTestId("plan-label").waitFor();
    live.t.clock.advance(60_000);
    await page.reload();
    await page.getByRole("heading", { name: "This link has expired" }).waitFor();
    expect(await page.getByRole("alert").textContent()).toContain("Ask for a new one");

    await page.goto(`${live.baseUrl}/portal/${token.slice(0, -2)}xx`);
    await page.getByRole("heading", { name: "This link is not valid" }).waitFor();
  });
});
