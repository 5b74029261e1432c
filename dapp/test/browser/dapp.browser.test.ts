import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { findFreePort } from "../../../scripts/services/findFreePort.ts";
import { startNextServer } from "./buildDappForTests.ts";
import { openBrowser, screenshot } from "./openBrowser.ts";
import { startDappTestStack, TEST_UNITS, type DappTestStack } from "./startDappTestStack.ts";

/** Every file under `directory` (the site's blockstore lives somewhere under its data dir). */
async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

async function waitForVerdict(page: Page): Promise<string> {
  const status = page.locator("p.status[role=status]");
  await status.waitFor({ timeout: 120_000 });
  return (await status.textContent()) ?? "";
}

describe("dapp in Chromium against a stack with a minted lot", () => {
  let stack: DappTestStack;
  let browser: Browser;
  let footprintCid: string;

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

  it("shows a lot's public page: footprint, breakdown, provenance, download, QR code", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.dappUrl}/lot/${stack.lotId}`);
    await page.getByRole("heading", { name: /Bracket A — lot/u }).waitFor();
    const figures = await page.getByLabel("Footprint").textContent();
    assert.match(figures ?? "", /Per unit \(location-based\)[\d.,]+ (g|kg) CO2e/u);
    assert.match(figures ?? "", new RegExp(`Lot total \\(${TEST_UNITS} units\\)`, "u"));
    assert.ok(await page.getByRole("heading", { name: "Breakdown" }).isVisible());
    assert.ok(await page.getByRole("row", { name: /Press 1/u }).isVisible());
    const provenance = (await page.getByLabel("Provenance").textContent()) ?? "";
    assert.match(provenance, /Job 0x.* on Press 1/u);
    assert.match(provenance, /\d+ readings? used/u);
    assert.equal(await page.locator("figure.qr svg").count(), 1);
    const download = page.getByRole("link", { name: "Download the footprint document" });
    const href = (await download.getAttribute("href")) ?? "";
    footprintCid = /\/ipfs\/([^?]+)/u.exec(href)?.[1] ?? "";
    const response = await page.request.get(`${stack.dappUrl}${href}`);
    assert.equal(response.status(), 200);
    const document = JSON.parse(await response.text()) as {
      format: string;
      lot: { units: string };
    };
    assert.equal(document.format, "ei-footprint-v1");
    assert.equal(document.lot.units, TEST_UNITS.toString());
    await screenshot(page, "lot");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "lot-phone");
  });

  it("keeps the lot page under 250 KB of gzip JavaScript on a cold visit", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() === "script") {
        scripts.push(response.body().then((body) => gzipSync(body).length));
      }
    });
    await page.goto(`${stack.dappUrl}/lot/${stack.lotId}`, { waitUntil: "networkidle" });
    const sizes = await Promise.all(scripts);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    assert.ok(sizes.length > 0);
    assert.ok(total < 250 * 1024, `${total} gzip bytes of JavaScript in ${sizes.length} scripts`);
    await context.close();
  });

  it("verifies the lot in the browser: every check passes; the proof bundle downloads", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.dappUrl}/lot/${stack.lotId}`);
    await page.getByRole("link", { name: "Verify this lot" }).click();
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Verified: all \d+ checks pass/u, verdict);
    const failed = await page.locator('[data-status="fail"]').count();
    assert.equal(failed, 0);
    for (const id of ["minted", "fetch", "recompute"]) {
      assert.equal(
        await page.locator(`[data-check="${id}"]`).getAttribute("data-status"),
        "ok",
        `check ${id}`,
      );
    }
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download the proof bundle" }).click();
    const bundlePath = await (await downloading).path();
    const bundle = JSON.parse(await readFile(bundlePath, "utf8")) as {
      format: string;
      result: { ok: boolean };
      documents: { cid: string }[];
    };
    assert.equal(bundle.format, "ei-proof-bundle-v1");
    assert.equal(bundle.result.ok, true);
    assert.ok(bundle.documents.some((entry) => entry.cid === footprintCid));
    await screenshot(page, "verify-lot");
  });

  it("verifies a container in the browser", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.dappUrl}/verify/container/${stack.containerId}`);
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Verified/u, verdict);
    assert.equal(
      await page.locator('[data-check="merkle-root"]').getAttribute("data-status"),
      "ok",
    );
    await screenshot(page, "verify-container");
  });

  it("shows the factory dashboard with charts of the anchored data", async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.dappUrl}/dashboard`);
    await page.getByRole("link", { name: "Test site" }).click();
    await page.getByRole("heading", { name: "Test site" }).waitFor();
    const power = page.locator('figure[data-chart="Average power per container period"]');
    await power.waitFor();
    assert.ok(Number(await power.getAttribute("data-points")) > 0);
    // recharts drew the series (an SVG path per line).
    await page
      .locator('figure[data-chart="Cumulative energy"] .recharts-line path')
      .first()
      .waitFor();
    assert.ok((await page.locator("table tbody tr").count()) > 0);
    await screenshot(page, "dashboard-site");
    await page.getByRole("link", { name: "Press 1" }).click();
    await page.getByRole("heading", { name: "Press 1" }).waitFor();
    await screenshot(page, "dashboard-machine");
    await page.goto(`${stack.dappUrl}/products`);
    await page.getByRole("link", { name: "Bracket A" }).click();
    await page.getByRole("heading", { name: "Bracket A" }).waitFor();
    const perUnit = page.locator('figure[data-chart="Footprint per unit of each lot"]');
    assert.equal(await perUnit.getAttribute("data-points"), "1");
    await screenshot(page, "product");
  });

  it("says what happened for an unknown lot, a malformed id and an unknown container", async () => {
    const page = await browser.newPage();
    const unknown = await page.goto(`${stack.dappUrl}/lot/12345`);
    assert.equal(unknown?.status(), 200);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "No lot 12345");
    assert.ok(await page.getByRole("heading", { name: "What to do" }).isVisible());
    await screenshot(page, "lot-unknown");
    await page.goto(`${stack.dappUrl}/lot/not-a-number`);
    assert.equal(
      await page.getByRole("heading", { level: 1 }).textContent(),
      "That is not a lot number",
    );
    await page.goto(`${stack.dappUrl}/verify/container/777`);
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Failed at “anchor”: no ContainersAnchored event holds container 777/u);
    await screenshot(page, "verify-container-unknown");
  });

  it("says which service is down, and what to set when the dapp is not configured", async () => {
    const closedPort = await findFreePort();
    const deadUrl = `http://127.0.0.1:${closedPort}`;
    const port = await findFreePort();
    const next = await startNextServer({
      port,
      env: {
        EI_DAPP_SUBGRAPH_URL: `${deadUrl}/subgraphs/name/x`,
        EI_DAPP_GATEWAY_URL: deadUrl,
        EI_DAPP_IPFS_GATEWAY_URL: deadUrl,
        EI_DAPP_CHAIN_ID: String(stack.chainId),
        EI_DAPP_RPC_URL: deadUrl,
        EI_DAPP_DEPLOYMENTS_FILE: stack.deploymentsFile,
      },
    });
    const unconfiguredPort = await findFreePort();
    const unconfigured = await startNextServer({
      port: unconfiguredPort,
      env: { EI_DAPP_SUBGRAPH_URL: "not a url" },
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/lot/${stack.lotId}`);
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "The indexer is not answering",
      );
      await screenshot(page, "lot-indexer-down");
      await page.goto(`http://127.0.0.1:${port}/dashboard`);
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "The indexer is not answering",
      );
      await page.goto(`http://127.0.0.1:${port}/verify/lot/${stack.lotId}`);
      await page.getByRole("heading", { name: /did not answer/u }).waitFor({ timeout: 60_000 });
      await screenshot(page, "verify-chain-down");
      await page.goto(`http://127.0.0.1:${unconfiguredPort}/lot/1`);
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "This dapp is not configured",
      );
      assert.match(
        (await page.locator(".problem-details").textContent()) ?? "",
        /EI_DAPP_SUBGRAPH_URL/u,
      );
      await screenshot(page, "not-configured");
    } finally {
      await next.stop();
      await unconfigured.stop();
    }
  });

  it("names the failed check when a document in the IPFS blockstore is tampered with", async () => {
    const original = new Uint8Array(
      await (await fetch(`${stack.gatewayUrl}/ipfs/${footprintCid}?format=raw`)).arrayBuffer(),
    );
    const files = await listFiles(stack.site.dataDir);
    let tampered = 0;
    for (const file of files) {
      const bytes = await readFile(file);
      if (bytes.length === original.length && Buffer.compare(bytes, original) === 0) {
        const document = JSON.parse(bytes.toString("utf8")) as {
          lot: { total: { energyMilliWattHours: string } };
        };
        document.lot.total.energyMilliWattHours = "1";
        await writeFile(file, JSON.stringify(document));
        tampered += 1;
      }
    }
    assert.equal(tampered, 1, "the footprint document's block was found in the blockstore");
    const page = await browser.newPage();
    await page.goto(`${stack.dappUrl}/verify/lot/${stack.lotId}`);
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Failed at “(cid|fetch|document)”/u, verdict);
    const failed = page.locator('[data-status="fail"]').first();
    assert.ok(await failed.isVisible());
    await screenshot(page, "verify-lot-tampered");
  });
});
