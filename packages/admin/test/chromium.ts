import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

/** Debian's chromium (.ci/run installs it); no browser is ever downloaded. */
const CHROMIUM = "/usr/bin/chromium";

/**
 * Browser tests skip only on a developer machine without chromium (`apt-get install chromium` to
 * run them); under CI they run, and fail if chromium is missing.
 */
export const canRunChromium = existsSync(CHROMIUM) || Boolean(process.env.CI);

/** `UPDATE_SCREENSHOTS=1` refreshes the committed docs/screenshots; otherwise shots go to a temp dir. */
export function screenshotDir(): string {
  const dir = process.env.UPDATE_SCREENSHOTS
    ? resolve(import.meta.dirname, "../../../docs/screenshots")
    : mkdtempSync(join(tmpdir(), "tollgate-shots-"));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Debian's chromium with one page (10 s default timeout) and how to close it. */
export async function openChromium(viewport: { width: number; height: number }) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  return { page, close: () => browser.close() };
}
