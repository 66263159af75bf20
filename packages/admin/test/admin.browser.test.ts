import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunChromium, openChromium, screenshotDir } from "./chromium";
import { startLiveAdmin } from "./liveAdmin";
import { seedPageActivity } from "./pageActivity";

const screenshots = screenshotDir();

/** The steps walk one browser session in order, as a person would: each starts where the last ended. */
describe.skipIf(!canRunChromium)("the admin UI in a real browser", () => {
  let live: Awaited<ReturnType<typeof startLiveAdmin>>;
  let browser: Awaited<ReturnType<typeof openChromium>>;
  let page: Page;

  beforeAll(async () => {
    live = await startLiveAdmin();
    await seedPageActivity(live.t);
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
  const signInAs = async (key: string, role: string) => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(key);
    await expect.poll(() => page.getByTestId("role").textContent()).toBe(role);
  };
  /** Moves within the app as its links do (no page load), to a path below /admin. */
  const go = (path: string) =>
    page.evaluate(
      `history.pushState(null, "", ${JSON.stringify(`/admin${path}`)}); dispatchEvent(new PopStateEvent("popstate"))`,
    );
  const shoot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  /** Controls that change something: every form but the audit filters (a search), and every editor. */
  const editControls = () => page.locator("main form:not(search > form), main textarea").count();
  const entries = () => page.getByTestId("audit-entry");
  /** The row of a before/after table that names `path`. */
  const diffRow = (scope: ReturnType<Page["locator"]>, path: string) =>
    scope.getByTestId("diff").locator("tr", { has: page.getByRole("cell", { name: path, exact: true }) });

  it("an admin signs in and finds customers, custom ones filtered", async () => {
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
  });

  it("the catalog lists plans and features; a plan's versions compare side by side; an admin archives a plan with a reason", async () => {
    await page.getByRole("link", { name: "Catalog" }).click();
    const plans = page.getByTestId("plans");
    await plans.getByRole("link", { name: "team_pro" }).waitFor();
    expect(await plans.locator("tr", { hasText: "team_pro" }).textContent()).toContain("v2");
    expect(await page.getByTestId("features").textContent()).toContain("workflow_runs");
    await page.getByLabel("Show custom plans").uncheck();
    await expect.poll(() => plans.getByRole("link", { name: "cronicorn_custom" }).count()).toBe(0);
    await page.getByLabel("Show custom plans").check();
    await shoot("catalog");

    await plans.getByRole("link", { name: "team_pro" }).click();
    await page.getByRole("heading", { name: "Compare versions" }).waitFor();
    const diff = page.locator("main");
    expect(await diffRow(diff, "basePrice").textContent()).toBe("basePrice49005900");
    expect(await diffRow(diff, "entitlements.ai_tokens.limit").textContent()).toContain("10000002000000");
    expect(await diffRow(diff, "entitlements.sso.enabled").getAttribute("data-change")).toBe("changed");
    expect(await diffRow(diff, "currency").count()).toBe(0);
    await page.getByLabel("Show unchanged fields").check();
    expect(await diffRow(diff, "currency").getAttribute("data-change")).toBe("same");
    await page.getByLabel("Show unchanged fields").uncheck();
    await shoot("plan-diff");

    await go("/catalog/plans/legacy_starter");
    const archive = page.getByRole("form", { name: "Archive plan" });
    await archive.getByLabel("Reason").fill("Replaced by Standard");
    await archive.getByRole("button", { name: "Archive plan" }).click();
    await expect.poll(() => page.getByTestId("plan-status").textContent()).toMatch(/^archived /);
    expect(await page.getByRole("form", { name: "Archive plan" }).count()).toBe(0);
  });

  it("an admin creates a custom plan for globex from its plan, sees what differs, and it is assigned", async () => {
    await go("/customers/globex");
    const form = page.getByRole("form", { name: "Create custom plan" });
    await expect.poll(() => form.getByLabel("Start from").inputValue()).toBe("standard");
    const terms = JSON.parse(await form.getByLabel("Terms (JSON)").inputValue());
    expect(terms).toMatchObject({ kind: "custom", basePrice: 2900 });
    terms.entitlements.workflow_runs.limit = 40_000;
    const fillTerms = (basePrice: number) =>
      form.getByLabel("Terms (JSON)").fill(JSON.stringify({ ...terms, basePrice }, null, 2));
    expect(await form.getByLabel("Plan key").inputValue()).toBe("globex_custom");
    await form.getByLabel("Name").fill("Globex Custom");
    await form.getByLabel("Reason").fill("Globex order form GX-7");

    // The API's refusal is shown as it says it, and nothing is made.
    await fillTerms(1_000);
    await form.getByRole("button", { name: "Create custom plan" }).click();
    await form.getByText("a paid custom plan costs at least 5000 minor units per month").waitFor();
    expect((await live.t.call("GET", "/v1/admin/plans/globex_custom")).status).toBe(404);

    await fillTerms(25_000);
    expect(await diffRow(form, "basePrice").textContent()).toBe("basePrice290025000");
    expect(await diffRow(form, "entitlements.workflow_runs.limit").textContent()).toContain("1000040000");
    await form.getByRole("button", { name: "Create custom plan" }).click();
    await form
      .getByText(/^Created globex_custom v1 and assigned it \(upgrade: now on globex_custom\)\.$/)
      .waitFor();
    await page.getByText("Globex Custom (globex_custom v1, custom)").waitFor();

    await page.getByRole("link", { name: "Customers" }).click();
    await page.getByLabel("Custom plans & overrides only").check();
    await page.getByRole("link", { name: "globex" }).waitFor();
  });

  it("an admin sets acme's overrides and grants credits with reasons, and sees both audited with before and after; acme's payment is in grace", async () => {
    await page.getByRole("link", { name: "acme" }).click();
    await page.getByText("Acme Corp Enterprise").first().waitFor();
    expect(page.url()).toBe(`${live.baseUrl}/admin/customers/acme`);
    await expect.poll(() => page.getByTestId("dunning").textContent()).toContain("grace");
    expect(await page.getByTestId("dunning").textContent()).toContain(
      "past due since 2026-06-23 09:00 UTC · next stage at 2026-06-30 09:00 UTC",
    );
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

    await entries().filter({ hasText: "credits.granted" }).first().waitFor();
    const grant = entries().filter({ hasText: "credits.granted" }).first();
    expect(await grant.textContent()).toContain("Reason: Goodwill after the outage");
    expect(await diffRow(grant, "amount").textContent()).toBe("amount250");
    const change = entries().filter({ hasText: "Acme bought 10 more seats" }).first();
    expect(await change.textContent()).toContain("overrides.set");
    expect(await diffRow(change, "overrides.seatLimit").textContent()).toBe("overrides.seatLimit5060");
    expect(await change.locator("pre").first().textContent()).toContain('"seatLimit": 50');
    expect(await change.locator("pre").nth(1).textContent()).toContain('"seatLimit": 60');
    await page.getByText("seats 0 / 60").waitFor();
    await shoot("customer");
  });

  it("acme's usage tab charts each metered feature against its limit, with the quota burning down", async () => {
    await page.getByRole("link", { name: "Usage" }).click();
    const tokens = page.locator('[data-testid="usage-chart"][data-feature="ai_tokens"]');
    await tokens.getByText("limit 1,000,000").waitFor();
    // 10 days of 30,000 + 9,000 a day more: 300,000 + 9,000 × 45 = 705,000 tokens of 1,000,000.
    expect(await tokens.textContent()).toContain("705,000 token used of 1,000,000 token (per billing period");
    expect(await tokens.locator(".recharts-bar-rectangle").count()).toBeGreaterThanOrEqual(10);
    expect(await tokens.getByText("quota left").count()).toBe(1);
    const runs = page.locator('[data-testid="usage-chart"][data-feature="workflow_runs"]');
    // 5 + 8 + … + 32 runs: 10 × 5 + 3 × 45 = 185.
    expect(await runs.textContent()).toContain("185 run used of 50,000 run");
    await runs.getByText("limit 50,000").waitFor();
    await shoot("customer-usage");
  });

  it("acme's plan history is a timeline of its changes, each with before and after", async () => {
    await page.getByRole("link", { name: "Plan history" }).click();
    await page.getByTestId("history-entry").first().waitFor();
    expect(await page.getByTestId("contract").first().textContent()).toContain("team_pro");
    const change = page.getByTestId("history-entry").filter({ hasText: "Acme bought 10 more seats" });
    expect(await diffRow(change, "overrides.seatLimit").textContent()).toBe("overrides.seatLimit5060");
    const first = page.getByTestId("history-entry").filter({ hasText: "subscription.assigned" });
    expect(await diffRow(first, "planKey").textContent()).toBe('planKey"team_pro"');
    await shoot("history");
  });

  it("an admin adds a provisioning rule with a reason", async () => {
    await page.getByRole("link", { name: "Provisioning rules" }).click();
    await page.getByRole("cell", { name: "tollgate.dev" }).waitFor();
    const form = page.getByRole("form", { name: "New provisioning rule" });
    await form.getByLabel("Email domain").fill("initrode.example");
    await form.getByLabel("Plan").selectOption("standard");
    await form.getByLabel("Overrides (JSON)").fill('{"planLabel": "Initrode Standard"}');
    await form.getByLabel("Reason").fill("Initrode reseller deal");
    await form.getByRole("button", { name: "Create rule" }).click();
    await form.getByText("Rule for initrode.example created.").waitFor();
    const row = page.getByTestId("rules").locator("tr", { hasText: "initrode.example" });
    expect(await row.textContent()).toContain("Initrode Standard");
    await shoot("provisioning-rules");
  });

  it("an admin deletes a provisioning rule with a reason", async () => {
    await page.getByRole("link", { name: "Provisioning rules" }).click();
    const create = page.getByRole("form", { name: "New provisioning rule" });
    await create.getByLabel("Email domain").fill("contractors.example");
    await create.getByLabel("Plan").selectOption("free");
    await create.getByLabel("Reason").fill("contractors start free");
    await create.getByRole("button", { name: "Create rule" }).click();
    await create.getByText("Rule for contractors.example created.").waitFor();
    const form = page.getByRole("form", { name: "Delete a provisioning rule" });
    await form.getByLabel("Rule").selectOption({ label: "contractors.example" });
    await form.getByLabel("Reason").fill("contract ended");
    await form.getByRole("button", { name: "Delete rule" }).click();
    await form.getByText("Rule for contractors.example deleted").waitFor();
    await expect
      .poll(() => page.getByTestId("rules").locator("tr", { hasText: "contractors.example" }).count())
      .toBe(0);
  });

  it("an admin makes a secret key, sees its secret once, and revokes it; the API then refuses it", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByTestId("keys").getByRole("cell", { name: "demo admin" }).waitFor();
    const make = page.getByRole("form", { name: "New API key" });
    await make.getByLabel("Name").fill("billing-worker");
    await make.getByLabel("Kind").selectOption("secret");
    await make.getByLabel("Environment").selectOption("test");
    await make.getByLabel("Reason").fill("billing worker launch");
    await make.getByRole("button", { name: "Make key" }).click();
    const shown = make.getByText(/^Key billing-worker made\. Its secret, shown this once: tg_test_sk_/);
    await shown.waitFor();
    const secret = (await shown.textContent())?.split("shown this once: ")[1] ?? "";
    const row = page.getByTestId("keys").locator("tr", { hasText: "billing-worker" });
    expect(await row.textContent()).not.toContain(secret);
    const status = (key: string) =>
      page.evaluate(
        async (k) =>
          (await fetch("/v1/customers/acme?env=test", { headers: { authorization: `Bearer ${k}` } })).status,
        key,
      );
    expect(await status(secret)).not.toBe(401);
    await shoot("api-keys");

    const revoke = page.getByRole("form", { name: "Revoke an API key" });
    await revoke.getByLabel("Key").selectOption({ label: `billing-worker (${secret.slice(0, 14)}…)` });
    await revoke.getByLabel("Reason").fill("secret pasted in a ticket");
    await revoke.getByRole("button", { name: "Revoke key" }).click();
    await revoke.getByText("Key billing-worker revoked: it is refused from now on.").waitFor();
    await expect.poll(async () => (await row.locator("td").last().textContent()) ?? "").not.toBe("");
    expect(await status(secret)).toBe(401);
    // Revoked keys leave the list of keys to revoke.
    expect(await revoke.getByRole("option", { name: /billing-worker/ }).count()).toBe(0);
  });

  it("the audit log pages and filters by customer, action, plan and day", async () => {
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect.poll(() => entries().count()).toBe(50);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => entries().count()).toBeGreaterThan(50);
    const filters = page.getByRole("form", { name: "Audit filters" });
    await filters.getByLabel("Customer").fill("globex");
    await filters.getByLabel("Action").fill("subscription.assigned");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => entries().count()).toBe(2);
    expect(page.url()).toContain("customer=globex&action=subscription.assigned");
    const custom = entries().filter({ hasText: "Globex order form GX-7" });
    expect(await diffRow(custom, "planKey").textContent()).toBe('planKey"standard""globex_custom"');
    await shoot("audit");

    await go("/audit?plan=legacy_starter");
    await expect.poll(() => entries().count()).toBe(3);
    expect(await entries().first().textContent()).toContain("plan.archived");
    expect(await entries().first().textContent()).toContain("Reason: Replaced by Standard");
    expect(await entries().nth(2).textContent()).toContain("plan.created");

    const today = new Date().toISOString().slice(0, 10);
    await go(`/audit?plan=legacy_starter&to=${today}`);
    await expect.poll(() => entries().count()).toBe(3);
    await go("/audit?plan=legacy_starter&to=2020-01-01");
    await page.getByText("No audit entries.").waitFor();
  });

  it("an operator changes a customer's plan, but not the catalog or the rules", async () => {
    await signInAs("tg_demo_operator", "operator");
    await go("/customers/acme");
    await page.getByRole("form", { name: "Overrides" }).waitFor();
    expect(await page.getByRole("form", { name: "Create custom plan" }).count()).toBe(0);
    await go("/customers/initech");
    const change = page.getByRole("form", { name: "Change plan" });
    await change.getByLabel("Plan").selectOption("standard");
    await change.getByLabel("Reason").fill("Initech upgraded by phone");
    await change.getByRole("button", { name: "Change plan" }).click();
    await change.getByText("Plan changed (upgrade: now on standard).").waitFor();
    await page.getByText("Standard (standard v1, standard)").waitFor();
    await go("/catalog/plans/team_pro");
    await page.getByRole("heading", { name: "Compare versions" }).waitFor();
    expect(await editControls()).toBe(0);
    await go("/provisioning-rules");
    await page.getByRole("cell", { name: "initrode.example" }).waitFor();
    expect(await editControls()).toBe(0);
    // Keys are the admins': no link, and the path shows the customers instead.
    expect(await page.getByRole("link", { name: "API keys" }).count()).toBe(0);
    await go("/api-keys");
    await page.getByRole("link", { name: "acme" }).waitFor();
    expect(await page.getByRole("form", { name: "New API key" }).count()).toBe(0);
  });

  it("a viewer sees no edit control on any page, and the server refuses a viewer's change anyway", async () => {
    await signInAs("tg_demo_viewer", "viewer");
    await go("/customers/acme");
    await page.getByText("Acme Corp Enterprise").first().waitFor();
    await entries().first().waitFor();
    expect(await editControls()).toBe(0);
    expect(await page.locator("main input, main button").count()).toBe(0);
    await shoot("customer-viewer");

    await page.getByRole("link", { name: "Usage" }).click();
    await page.getByText("limit 1,000,000").waitFor();
    expect(await editControls()).toBe(0);
    await page.getByRole("link", { name: "Plan history" }).click();
    await page.getByTestId("history-entry").first().waitFor();
    expect(await editControls()).toBe(0);
    const pages = [
      ["/catalog", page.getByTestId("plans").getByRole("link", { name: "team_pro" })],
      ["/catalog/plans/team_pro", page.getByRole("heading", { name: "Compare versions" })],
      ["/provisioning-rules", page.getByRole("cell", { name: "initrode.example" })],
      ["/audit", page.getByRole("heading", { name: "Audit log" })],
    ] as const;
    for (const [path, shown] of pages) {
      await go(path);
      await shown.waitFor();
      expect(await editControls(), path).toBe(0);
    }

    // The same request the hidden archive button would send, from this page with the viewer's key.
    const status = await page.evaluate(async (key) => {
      const response = await fetch("/v1/admin/plans/team_pro/archive", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ reason: "a viewer tries" }),
      });
      return response.status;
    }, "tg_demo_viewer");
    expect(status).toBe(403);
    expect((await live.t.call("GET", "/v1/admin/plans/team_pro")).body.plan.archivedAt).toBeNull();
  });
});
