import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { openBrowser, screenshot } from "./openBrowser.ts";
import { startDappTestStack, type DappTestStack } from "./startDappTestStack.ts";

describe("dapp in Chromium against a stack with a minted lot", () => {
  let stack: DappTestStack;
  let browser: Browser;

  before(async () => {
    stack = await startDappTestStack();
    browser = await openBrowser();
  });
  after(async () => {
    await browser.close();
    await stack.stop();
  });

  it("serves the home page with its navigation", async () => {
    const page = await browser.newPage();
    await page.goto(stack.dappUrl);
    assert.equal(await page.locator("h1").first().textContent(), "Energy-Intelligence");
    await screenshot(page, "home");
  });
});
