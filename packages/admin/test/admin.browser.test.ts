import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunChromium, openChromium, screenshotDir } from "./chromium";
import { startLiveAdmin } from "./liveAdmin";

const screenshots = screenshotDir();

describe.skipIf(!canRunChromium)("the admin UI in a real browser", () => {
  let live: Awaited<ReturnType<typeof startLiveAdmin>>;
  let browser: Awaited<ReturnType<typeof openChromium>>;
  let page: Page;

  beforeAll(async () => {
    live = await startLiveAdmin();
    browser = await openChromium({ width: 1280, height: 900 });
    page = browser.page;
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
  });

  const signIn = async (key: string) => {
    await page.goto(`${live.baseUrl}/admin/`);
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
  };
  const shoot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  it("an admin signs in, edits acme's overrides and grants credits with reasons, and sees both audited; a viewer sees no edit control", async () => {
    await signIn("tg_wrong_key");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("the API key is not valid");
    await shoot("sign-in");

    await signIn("tg_demo_admin");
    await page.getByRole("link", { name: "acme" }).waitFor();
    expect(await page.getByTestId("role").textContent()).toBe("admin");
    await page.getByRole("link", { name: "globex" }).waitFor();
    await page.getByLabel("Custom plans & overrides only").check();
    await expect.poll(() => page.getByRole("link", { name: "globex" }).count()).toBe(0);
    await page.getByRole("link", { name: "acme" }).waitFor();
    await shoot("customers");

    await page.getByRole("link", { name: "acme" }).click();
    await page.getByText("Acme Corp Enterprise").first().waitFor();
    expect(page.url()).toBe(`${live.baseUrl}/admin/customers/acme`);
    await expect.poll(() => page.getByTestId("overrides-before").textContent()).toContain('"seatLimit": 50');

    const overrides = JSON.parse(await page.getByLabel("Overrides (JSON)").inputValue());
    await page.getByLabel("Overrides (JSON)").fill(JSON.stringify({ ...overrides, seatLimit: 60 }));
    expect(await page.getByTestId("overrides-after").textContent()).toContain('"seatLimit": 60');
    const overridesForm = page.getByRole("form", { name: "Overrides" });
    await overridesForm.getByLabel("Reason").fill("Acme bought 10 more seats");
    await overridesForm.getByRole("button", { name: "Save overrides" }).click();
    await overridesForm.getByText("Overrides saved.").waitFor();

    const grantForm = page.getByRole("form", { name: "Grant credits" });
    await grantForm.getByLabel("Amount").fill("250");
    await grantForm.getByLabel("Reason").fill("Goodwill after the outage");
    await grantForm.getByRole("button", { name: "Grant credits" }).click();
    await grantForm.getByText(/Granted 250 credits/).waitFor();

    const entries = page.getByTestId("audit-entry");
    await entries.filter({ hasText: "credits.granted" }).first().waitFor();
    const grant = await entries.filter({ hasText: "credits.granted" }).first().textContent();
    expect(grant).toContain("Reason: Goodwill after the outage");
    const change = entries.filter({ hasText: "Acme bought 10 more seats" }).first();
    expect(await change.textContent()).toContain("overrides.set");
    expect(await change.locator("pre").first().textContent()).toContain('"seatLimit": 50');
    expect(await change.locator("pre").nth(1).textContent()).toContain('"seatLimit": 60');
    await page.getByText("seats 0 / 60").waitFor();
    await shoot("customer");

    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn("tg_demo_viewer");
    await page.getByRole("link", { name: "acme" }).click();
    await page.getByText("Acme Corp Enterprise").first().waitFor();
    await entries.first().waitFor();
    expect(await page.getByTestId("role").textContent()).toBe("viewer");
    expect(await page.locator("textarea, form button, input").count()).toBe(0);
    await shoot("customer-viewer");
  });
});
