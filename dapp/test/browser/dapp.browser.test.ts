import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { type Hex, createPublicClient, http } from "viem";
import { cidToHex, parseCid } from "@energy-intelligence/sdk/cid/index";
import {
  auditAttestationsAbi,
  jobStampsAbi,
  productLotsAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import { deriveJobId } from "@energy-intelligence/sdk/jobs/index";
import { findFreePort } from "../../../scripts/services/findFreePort.ts";
import { startNextServer } from "./buildDappForTests.ts";
import {
  PHONE_VIEWPORT,
  describeViolations,
  focusIndicator,
  hasFocus,
  liveRegionHistory,
  phoneLayoutProblems,
  recordLiveRegions,
  seriousAccessibilityViolations,
  tabTo,
} from "./auditPage.ts";
import { openBrowser, screenshot } from "./openBrowser.ts";
import { pageWithTestWallet } from "./pageWithTestWallet.ts";
import { startDappTestStack, TEST_UNITS, type DappTestStack } from "./startDappTestStack.ts";

const FLOW_REFERENCE = "WO-BROWSER-LOT-1";
const FLOW_UNITS = 7n;
const LOT_KIND = 2;

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

/** A page every visitor reaches without a wallet, and what to wait for before checking it. */
interface PublicPage {
  name: string;
  path: string;
  ready?: (page: Page) => Promise<unknown>;
}

/** Every chart has drawn its SVG (recharts measures its box first). */
async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll("figure[data-chart]")].every(
      (figure) => figure.querySelector("svg") !== null,
    ),
  );
}

describe("dapp in Chromium against a stack with a minted lot", () => {
  let stack: DappTestStack;
  let browser: Browser;
  let footprintCid: string;
  /** The lot minted from the job stamped in the browser (decimal), once the flow got that far. */
  let flowLotId: string | undefined;
  const chain = () => createPublicClient({ transport: http(stack.rpcUrl) });

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

  /** The public pages, with the dashboards' and the product's addresses read from their links. */
  async function publicPages(): Promise<PublicPage[]> {
    const page = await browser.newPage();
    const sitePath = `/dashboard/site/${stack.siteId.toLowerCase()}`;
    await page.goto(`${stack.dappUrl}${sitePath}`);
    const href = async (selector: string) =>
      (await page.locator(selector).first().getAttribute("href")) ?? "";
    const machinePath = await href('main a[href^="/dashboard/machine/"]');
    const devicePath = await href('main a[href^="/dashboard/device/"]');
    await page.goto(`${stack.dappUrl}/products`);
    const productPath = await href('main a[href^="/products/"]');
    await page.close();
    const verdict = (page: Page) => waitForVerdict(page);
    return [
      { name: "home", path: "/" },
      { name: "dashboard", path: "/dashboard" },
      { name: "dashboard-site", path: sitePath, ready: chartsDrawn },
      { name: "dashboard-machine", path: machinePath, ready: chartsDrawn },
      { name: "dashboard-device", path: devicePath, ready: chartsDrawn },
      { name: "products", path: "/products" },
      { name: "product", path: productPath, ready: chartsDrawn },
      { name: "lot", path: `/lot/${stack.lotId}` },
      { name: "lot-unknown", path: "/lot/12345" },
      { name: "verify", path: "/verify" },
      { name: "verify-lot", path: `/verify/lot/${stack.lotId}`, ready: verdict },
      { name: "verify-container", path: `/verify/container/${stack.containerId}`, ready: verdict },
    ];
  }

  it("has no serious or critical accessibility violations (axe-core) on any page, light or dark", async () => {
    const pages = await publicPages();
    const findings: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      for (const { name, path: pagePath, ready } of pages) {
        await page.goto(`${stack.dappUrl}${pagePath}`, { waitUntil: "networkidle" });
        await ready?.(page);
        const violations = await seriousAccessibilityViolations(page);
        findings.push(...describeViolations(`${name} (${colorScheme})`, violations));
      }
      await context.close();
    }
    assert.equal(findings.length, 0, findings.join("\n"));
  });

  it("fits a phone: no page scrolls sideways, the navigation is on screen, tables scroll in their own box", async () => {
    const pages = await publicPages();
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const { name, path: pagePath, ready } of pages) {
      await page.goto(`${stack.dappUrl}${pagePath}`, { waitUntil: "networkidle" });
      await ready?.(page);
      problems.push(...(await phoneLayoutProblems(page)).map((problem) => `${name}: ${problem}`));
      await screenshot(page, `${name}-phone`);
    }
    await context.close();
    assert.equal(problems.length, 0, problems.join("\n"));
  });

  it("runs the lot's verification from the keyboard alone, with a visible focus, and announces the verdict", async () => {
    const page = await browser.newPage();
    await recordLiveRegions(page);
    await page.goto(`${stack.dappUrl}/lot/${stack.lotId}`);
    await page.getByRole("heading", { name: /Bracket A — lot/u }).waitFor();

    // The first Tab shows the skip link; following it puts the next Tab inside the main content.
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    assert.ok(await hasFocus(skip), "the first Tab focuses the skip link");
    assert.ok(await skip.isVisible());
    const skipBox = await skip.boundingBox();
    assert.ok(skipBox !== null && skipBox.x >= 0 && skipBox.y >= 0, "the skip link is on screen");
    assert.ok((await focusIndicator(page)) !== undefined, "the skip link shows its focus");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    assert.ok(
      await page.evaluate(
        () => document.querySelector("main")?.contains(document.activeElement) === true,
      ),
      "after the skip link, Tab moves inside the main content",
    );

    const verify = page.getByRole("link", { name: "Verify this lot" });
    await tabTo(page, verify);
    const indicator = await focusIndicator(page);
    assert.ok(indicator !== undefined, "Verify this lot draws a focus indicator");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/verify/lot/${stack.lotId}`);
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Verified: all \d+ checks pass/u, verdict);
    // The verdict replaced the progress text in the same live region, so it is read out.
    const regions = await liveRegionHistory(page);
    assert.ok(
      regions.some(
        (texts) =>
          texts.some((text) => text.startsWith("Running the checks")) &&
          /^Verified: all \d+ checks pass/u.test(texts.at(-1) ?? ""),
      ),
      `live regions: ${JSON.stringify(regions)}`,
    );
    await page.close();
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

  // The whole operator-to-buyer path in one browser: the lot of a job stamped from a
  // wallet is minted by the gateway, found from the operator page, public and verifiable.
  it("stamps a job from a wallet, sees its lot minted, opens the lot page and verifies it", async () => {
    const client = chain();
    const { page } = await pageWithTestWallet(browser, {
      rpcUrl: stack.rpcUrl,
      account: stack.operator,
      chainId: stack.chainId,
    });
    await page.goto(`${stack.dappUrl}/operator/wallet`);
    await page.getByRole("button", { name: "Connect EI Test Wallet" }).click();
    assert.equal(await page.getByTestId("wallet-address").textContent(), stack.operator.address);
    await screenshot(page, "flow-wallet-connected");

    await page.getByLabel("Job reference (work order)").fill(FLOW_REFERENCE);
    await page.getByRole("checkbox", { name: "Press 1" }).check();
    await page.getByRole("button", { name: "Start job from wallet" }).click();
    await page
      .getByTestId("tx-state")
      .getByText(/Confirmed in block \d+/u)
      .waitFor({ timeout: 60_000 });
    const jobId = deriveJobId({ siteId: stack.siteId, reference: FLOW_REFERENCE });
    const [started] = await client.getContractEvents({
      address: stack.contracts.JobStamps,
      abi: jobStampsAbi,
      eventName: "JobStarted",
      args: { siteId: stack.siteId, jobId },
      fromBlock: 0n,
      strict: true,
    });
    assert.equal(started?.args.stampedBy, stack.operator.address);
    assert.equal(started.args.channel, 0, "stamped with channel wallet");
    await screenshot(page, "flow-job-started");

    // The job runs a few seconds of metered time before the operator stops it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const running = page.locator(`tr[data-job="${jobId}"]`);
    await running.getByRole("spinbutton").fill(FLOW_UNITS.toString());
    await running.getByRole("button", { name: "Stop" }).click();
    const stopped = page.locator(`tr[data-stopped-job="${jobId}"]`);
    await stopped.waitFor({ timeout: 60_000 });
    assert.match((await stopped.textContent()) ?? "", /Not minted yet/u);
    await screenshot(page, "flow-job-stopped");

    // The device's readings past the stop arrive and their periods close, as the gateway's
    // timer would close them; the minter then mints the lot and the page links to it.
    const head = await client.getBlock();
    await stack.meterThrough(Math.max(Date.now(), Number(head.timestamp) * 1000) + 12_000);
    const lotLink = stopped.locator("a[data-lot]");
    await lotLink.waitFor({ timeout: 120_000 }).catch(async (error: unknown) => {
      await screenshot(page, "flow-lot-not-minted");
      const record = stack.minter.lotOfJob(jobId);
      throw new Error(
        `no lot link on the page; the minter's record: ${record?.state ?? "none"} (${record?.lastError ?? ""})`,
        { cause: error },
      );
    });
    const lotId = (await lotLink.getAttribute("data-lot")) ?? "";
    const onChain = await client.readContract({
      address: stack.contracts.ProductLots,
      abi: productLotsAbi,
      functionName: "lotOfJob",
      args: [stack.siteId, jobId],
    });
    assert.equal(onChain.toString(), lotId);
    const lot = await client.readContract({
      address: stack.contracts.ProductLots,
      abi: productLotsAbi,
      functionName: "lot",
      args: [BigInt(lotId)],
    });
    assert.equal(lot.units, FLOW_UNITS);
    await screenshot(page, "flow-lot-minted");

    // The public page reads the indexer, so the operator's click waits for it to see the mint.
    await stack.waitForIndexedBlock(await client.getBlockNumber());
    await lotLink.click();
    await page.waitForURL(`**/lot/${lotId}`);
    await page.getByRole("heading", { name: /Bracket A — lot/u }).waitFor();
    const figures = (await page.getByLabel("Footprint").textContent()) ?? "";
    assert.match(figures, new RegExp(`Lot total \\(${FLOW_UNITS} units\\)`, "u"));
    const provenance = (await page.getByLabel("Provenance").textContent()) ?? "";
    assert.ok(provenance.includes(jobId.slice(0, 8)), provenance);
    await screenshot(page, "flow-lot");

    await page.getByRole("link", { name: "Verify this lot" }).click();
    const verdict = await waitForVerdict(page);
    assert.match(verdict, /^Verified: all \d+ checks pass/u, verdict);
    assert.equal(await page.locator('[data-status="fail"]').count(), 0);
    await screenshot(page, "flow-verify-lot");
    flowLotId = lotId;
    await page.close();
  });

  it("records an auditor's attestation from the verify page; refuses a wallet without the role", async () => {
    assert.ok(flowLotId !== undefined, "the flow test minted a lot");
    const lotId = BigInt(flowLotId);
    const client = chain();
    const attestationOf = async (auditor: Hex) =>
      client.readContract({
        address: stack.contracts.AuditAttestations,
        abi: auditAttestationsAbi,
        functionName: "attestationOf",
        args: [LOT_KIND, lotId, auditor],
      });
    const openAttest = async (account: typeof stack.auditor) => {
      const { page } = await pageWithTestWallet(browser, {
        rpcUrl: stack.rpcUrl,
        account,
        chainId: stack.chainId,
      });
      await page.goto(`${stack.dappUrl}/verify/lot/${flowLotId}`);
      assert.match(await waitForVerdict(page), /^Verified/u);
      const bundleCid =
        (await page
          .getByText(/^Proof bundle CID/u)
          .locator("code")
          .textContent()) ?? "";
      await page.getByRole("button", { name: "Attest as an auditor…" }).click();
      await page.getByRole("button", { name: "Connect EI Test Wallet" }).click();
      await page.getByText(`Connected as ${account.address}`).waitFor();
      assert.equal(await page.getByRole("radio", { name: "valid", exact: true }).isChecked(), true);
      await page.getByRole("button", { name: "Record the attestation" }).click();
      return { page, bundleCid };
    };

    const { page, bundleCid } = await openAttest(stack.auditor);
    await page.getByText(/^Recorded in block \d+\./u).waitFor({ timeout: 60_000 });
    const shown = page.getByTestId("attestation-on-chain");
    await shown.waitFor({ timeout: 30_000 });
    assert.match((await shown.textContent()) ?? "", /your attestation of this lot is “valid”/u);
    const recorded = await attestationOf(stack.auditor.address);
    assert.equal(recorded.verdict, 1);
    const events = await client.getContractEvents({
      address: stack.contracts.AuditAttestations,
      abi: auditAttestationsAbi,
      eventName: "Attested",
      args: { subjectKind: LOT_KIND, subjectId: lotId },
      fromBlock: 0n,
      strict: true,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.args.auditor, stack.auditor.address);
    assert.equal(events[0].args.reportCid, cidToHex(parseCid(bundleCid)));
    assert.match(
      (await shown.textContent()) ?? "",
      new RegExp(`block ${events[0].blockNumber}\\.`, "u"),
    );
    await screenshot(page, "flow-attested");
    await page.close();

    const refused = await openAttest(stack.stranger);
    await refused.page
      .getByText("This account does not hold the auditor role in the registry")
      .waitFor({ timeout: 30_000 });
    assert.equal((await attestationOf(stack.stranger.address)).verdict, 0);
    assert.equal(await refused.page.getByTestId("attestation-on-chain").count(), 0);
    await screenshot(refused.page, "flow-attest-refused");
    await refused.page.close();
  });
});
