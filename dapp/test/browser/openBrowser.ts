import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Screenshots of every page a browser test opens (gitignored). */
export const SCREENSHOT_DIR = path.join(import.meta.dirname, "..", "..", "test-results");

/** Debian's Chromium, headless, without any of its own network traffic (no first-run, no sync). */
export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.EI_CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A full-page screenshot named after the step, at desktop or phone width. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
