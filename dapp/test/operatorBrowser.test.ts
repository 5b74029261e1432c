// The operator pages in Chromium against real parts: a Hardhat node with the
// registry and JobStamps, the gateway's stamping routes over HTTP, and
// `next start` of the production build. The wallet is an EIP-1193 provider
// injected into the page (window.ethereum, and announced via EIP-6963) whose
// requests are answered in Node by a test wallet holding the operator's key.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, CDPSession, Page } from "playwright-core";
import { type Abi, type Hex, type PrivateKeyAccount, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { deriveJobId } from "@energy-intelligence/sdk/jobs/index";
import {
  HARDHAT_ADMIN_KEY,
  HARDHAT_MANAGER_KEY,
} from "../../oracle/src/chain/testing/deployTestContracts.ts";
import {
  SITE_ID,
  type StampingChain,
  type StampingGateway,
  mineBlock,
  openStampingGateway,
  startStampingChain,
} from "../../oracle/src/jobs/testing/stampingFixture.ts";
import { findFreePort } from "../../scripts/services/findFreePort.ts";
import { runEi } from "../../scripts/cli/runEi.testHelper.ts";
import { readSiteCatalog } from "../src/wallet/readSiteCatalog.ts";
import {
  type RunningNext,
  buildDappForTests,
  startNextServer,
} from "./browser/buildDappForTests.ts";
import {
  PHONE_VIEWPORT,
  describeViolations,
  focusIndicator,
  phoneLayoutProblems,
  seriousAccessibilityViolations,
  tabTo,
} from "./browser/auditPage.ts";
import { openBrowser, screenshot } from "./browser/openBrowser.ts";
import { pageWithTestWallet } from "./browser/pageWithTestWallet.ts";
import type { TestWallet } from "./operatorTestWallet.ts";

const PROJECT_ROOT = path.join(import.meta.dirname, "..", "..");
const PORTAL_PASSWORD = "operator portal password";

let chain: StampingChain;
let gateway: StampingGateway;
let next: RunningNext;
/**
 * The portal's origin. Passkeys need a relying-party id that is a domain: Chromium refuses an IP
 * address such as 127.0.0.1 ("invalid domain"), so the portal is served as http://localhost:<port>
 * (a secure context, like https) through EI_PORTAL_ORIGIN, while the wallet pages stay on 127.0.0.1.
 */
let portalUrl: string;
let browser: Browser;

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(PROJECT_ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

/** The contracts the dapp's runtime config requires besides the registry and JobStamps. */
async function deployTheRest(): Promise<Record<string, { address: Hex; startBlock: number }>> {
  const admin = createWalletClient({
    chain: chain.publicClient.chain,
    transport: http(chain.node.rpcUrl),
    account: privateKeyToAccount(HARDHAT_ADMIN_KEY),
  });
  const deploy = async (name: string, args: readonly unknown[]) => {
    const { abi, bytecode } = artifact(name);
    const receipt = await chain.publicClient.waitForTransactionReceipt({
      hash: await admin.deployContract({ abi, bytecode, args }),
      timeout: 60_000,
    });
    if (receipt.contractAddress == null) throw new Error(`${name} was not deployed`);
    return { address: receipt.contractAddress, startBlock: Number(receipt.blockNumber) };
  };
  const containers = await deploy("DataContainers", [chain.registry, "http://127.0.0.1/{id}"]);
  const lots = await deploy("ProductLots", [
    chain.registry,
    chain.jobStamps,
    "http://127.0.0.1/{id}",
  ]);
  const attestations = await deploy("AuditAttestations", [
    chain.registry,
    containers.address,
    lots.address,
  ]);
  return { DataContainers: containers, ProductLots: lots, AuditAttestations: attestations };
}

async function grantOperator(address: Hex): Promise<void> {
  const manager = chain.walletFor(privateKeyToAccount(HARDHAT_MANAGER_KEY));
  const reg = { address: chain.registry, abi: energyRegistryAbi } as const;
  const role = await chain.publicClient.readContract({
    ...reg,
    functionName: "siteRole",
    args: [
      await chain.publicClient.readContract({ ...reg, functionName: "OPERATOR_ROLE" }),
      SITE_ID,
    ],
  });
  await chain.publicClient.waitForTransactionReceipt({
    hash: await manager.writeContract({ ...reg, functionName: "grantRole", args: [role, address] }),
    timeout: 60_000,
  });
}

const catalog = () =>
  readSiteCatalog({
    publicClient: chain.publicClient,
    registry: chain.registry,
    jobStamps: chain.jobStamps,
    siteId: SITE_ID,
    fromBlock: 0n,
  });

async function until<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A page with the test wallet injected (pageWithTestWallet.ts), on this file's chain. */
async function pageWithWallet(
  account: PrivateKeyAccount,
  chainId = chain.chainId,
): Promise<{ page: Page; wallet: TestWallet }> {
  return pageWithTestWallet(browser, {
    rpcUrl: chain.node.rpcUrl,
    account,
    chainId: chain.chainId,
    walletChainId: chainId,
  });
}

/** What before() started, stopped in reverse by after() even when before() failed halfway. */
const stops: (() => Promise<void>)[] = [];

before(async () => {
  const built = buildDappForTests();
  // A failed build must not stay unhandled while the chain starts.
  built.catch(() => undefined);
  chain = await startStampingChain();
  stops.push(() => chain.stop());
  const rest = await deployTheRest();
  gateway = await openStampingGateway(chain);
  stops.push(() => gateway.close());
  await gateway.app.listen({ host: "127.0.0.1", port: 0 });
  const gatewayUrl = `http://127.0.0.1:${(gateway.app.server.address() as AddressInfo).port}`;

  // The portal's first user and its relay key, made with the CLI as a site manager would.
  const dataDir = mkdtempSync(path.join(chain.directory, "dapp-"));
  const added = await runEi(
    ["portal", "user", "add", "ana", "--site", SITE_ID, "--password-stdin", "--data-dir", dataDir],
    `${PORTAL_PASSWORD}\n`,
  );
  assert.equal(added.exitCode, 0, added.stderr);
  const key = await runEi(["portal", "relay-key", "--data-dir", dataDir, "--json"]);
  await grantOperator((JSON.parse(key.stdout) as { address: Hex }).address);

  await built;
  const port = await findFreePort();
  next = await startNextServer({
    port,
    env: {
      EI_DAPP_SUBGRAPH_URL: `${gatewayUrl}/subgraph-unused`,
      EI_DAPP_GATEWAY_URL: gatewayUrl,
      EI_DAPP_CHAIN_ID: String(chain.chainId),
      EI_DAPP_RPC_URL: chain.node.rpcUrl,
      EI_DAPP_DEPLOYMENTS: JSON.stringify({
        EnergyRegistry: { address: chain.registry, startBlock: 0 },
        JobStamps: { address: chain.jobStamps, startBlock: 0 },
        ...rest,
      }),
      EI_DAPP_PUBLIC_URL: `http://127.0.0.1:${port}`,
      EI_PORTAL_ORIGIN: `http://localhost:${port}`,
      EI_DAPP_DATA_DIR: dataDir,
    },
  });
  stops.push(() => next.stop());
  portalUrl = `http://localhost:${port}`;
  browser = await openBrowser();
  stops.push(() => browser.close());
});

after(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
});

const txState = (page: Page) => page.getByTestId("tx-state");

async function connect(page: Page): Promise<void> {
  await page.goto(`${next.url}/operator/wallet`);
  await page.getByRole("button", { name: "Connect EI Test Wallet" }).click();
  await page.getByTestId("wallet-address").waitFor();
}

async function fillStart(page: Page, reference: string, machine: string): Promise<void> {
  await page.getByLabel("Job reference (work order)").fill(reference);
  await page.getByRole("checkbox", { name: machine }).check();
  await page.getByRole("button", { name: "Start job from wallet" }).click();
}

/**
 * Chromium's virtual authenticator (DevTools protocol WebAuthn domain) for one page: a platform
 * authenticator with discoverable credentials that verifies the user without any prompt.
 */
async function addVirtualAuthenticator(
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function signInWithPassword(page: Page): Promise<void> {
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill(PORTAL_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("portal-user").waitFor();
}

describe("operator pages in Chromium", () => {
  it("lists both ways to stamp", async () => {
    const page = await browser.newPage();
    await page.goto(`${next.url}/operator`);
    assert.equal(await page.locator("h1").textContent(), "Stamp production jobs");
    await screenshot(page, "operator");
    await page.close();
  });

  it("connects an injected wallet, starts and stops a job that lands on chain with channel wallet", async () => {
    const { page } = await pageWithWallet(chain.operator);
    await connect(page);
    assert.equal(await page.getByTestId("wallet-address").textContent(), chain.operator.address);
    await fillStart(page, "WO-BROWSER-1", "Press 7");
    await txState(page)
      .getByText(/Confirmed in block \d+/u)
      .waitFor({ timeout: 30_000 });
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-BROWSER-1" });
    const started = (await catalog()).jobs.find((job) => job.jobId === jobId);
    assert.equal(started?.startChannel, "wallet");
    await screenshot(page, "operator-wallet-started");

    await new Promise((resolve) => setTimeout(resolve, 1100));
    await mineBlock(chain); // eth_call runs at the latest block's time
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.getByRole("spinbutton").fill("30");
    await row.getByRole("button", { name: "Stop" }).click();
    await until(
      async () => (await catalog()).jobs.find((job) => job.jobId === jobId && job.units === 30),
      "the wallet stop on chain",
    );
    await txState(page)
      .getByText(/Confirmed in block \d+/u)
      .waitFor({ timeout: 30_000 });
    await screenshot(page, "operator-wallet-stopped");
    await page.close();
  });

  it("says the signature was rejected, and stamps nothing", async () => {
    const { page, wallet } = await pageWithWallet(chain.operator);
    await connect(page);
    wallet.rejectRequests = true;
    await fillStart(page, "WO-BROWSER-REJECT", "Lathe 3");
    await page.getByText("You rejected the request in your wallet.").waitFor();
    await screenshot(page, "operator-wallet-rejected");
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-BROWSER-REJECT" });
    assert.equal(
      (await catalog()).jobs.find((job) => job.jobId === jobId),
      undefined,
    );
    await page.close();
  });

  it("says the wallet is on the wrong network and switches it when asked", async () => {
    const { page } = await pageWithWallet(chain.operator, 11155111);
    await connect(page);
    await page.getByText(`Your wallet is on chain 11155111`).first().waitFor();
    await screenshot(page, "operator-wallet-wrong-network");
    await page.getByRole("button", { name: "Switch network" }).first().click();
    await page.getByText(`on chain ${chain.chainId}.`).waitFor();
    assert.equal(await page.getByText("Your wallet is on chain 11155111").count(), 0);
    await page.close();
  });

  it("names a missing operator role from the contract's error", async () => {
    const { page } = await pageWithWallet(chain.stranger);
    await connect(page);
    await fillStart(page, "WO-BROWSER-STRANGER", "Lathe 3");
    await page.getByText(/is not an operator of site/u).waitFor();
    assert.equal(await page.locator('[data-problem="missing_role"]').count(), 1);
    await screenshot(page, "operator-wallet-missing-role");
    await page.close();
  });

  it("says there is no wallet when none is injected", async () => {
    const page = await browser.newPage();
    await page.goto(`${next.url}/operator/wallet`);
    await page.getByText("No wallet is connected.").waitFor();
    await screenshot(page, "operator-wallet-none");
    await page.close();
  });

  it("signs in to the portal with a password and stamps a job that reaches the chain with channel portal", async () => {
    const page = await browser.newPage();
    await page.goto(`${portalUrl}/operator/portal`);
    await page.getByLabel("Username").fill("ana");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByText("wrong username or password").waitFor();
    await screenshot(page, "operator-portal-sign-in-refused");
    await page.getByLabel("Password").fill(PORTAL_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByTestId("portal-user").waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "ei_portal");
    assert.equal(session?.httpOnly, true);
    assert.equal(session.sameSite, "Strict");

    await page.getByLabel("Job reference (work order)").fill("WO-PORTAL-BROWSER");
    await page.getByRole("checkbox", { name: "Lathe 3" }).check();
    await page.getByRole("button", { name: "Start job" }).click();
    await page.getByText(/Started job WO-PORTAL-BROWSER/u).waitFor();
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-PORTAL-BROWSER" });
    const started = await until(
      async () => (await catalog()).jobs.find((job) => job.jobId === jobId),
      "the portal start on chain",
    );
    assert.equal(started.startChannel, "portal");
    const row = page.locator(`tr[data-job="${jobId}"]`);
    await row.waitFor({ timeout: 15_000 });
    await screenshot(page, "operator-portal-started");

    await new Promise((resolve) => setTimeout(resolve, 1100));
    await row.getByRole("spinbutton").fill("8");
    await row.getByRole("button", { name: "Stop" }).click();
    await page.getByText(/Stopped job .* with 8 units/u).waitFor();
    const stopped = await until(
      async () =>
        (await catalog()).jobs.find((job) => job.jobId === jobId && job.stoppedAtS !== null),
      "the portal stop on chain",
    );
    assert.deepEqual([stopped.stopChannel, stopped.units], ["portal", 8]);
    await page
      .locator(`tr[data-job="${jobId}"]`)
      .getByText("portal")
      .first()
      .waitFor({ timeout: 15_000 });
    await screenshot(page, "operator-portal-stopped");
    await page.close();
  });

  it("has no serious accessibility violations and fits a phone: operator, wallet page without a wallet, portal sign-in", async () => {
    const pages = [
      { name: "operator", url: `${next.url}/operator`, ready: "Stamp production jobs" },
      {
        name: "operator-wallet-none",
        url: `${next.url}/operator/wallet`,
        ready: "No wallet is connected.",
      },
      {
        name: "operator-portal",
        url: `${portalUrl}/operator/portal`,
        ready: "Sign in with a passkey",
      },
    ];
    const findings: string[] = [];
    for (const viewport of [undefined, PHONE_VIEWPORT]) {
      const context = await browser.newContext(viewport === undefined ? {} : { viewport });
      const page = await context.newPage();
      for (const { name, url, ready } of pages) {
        await page.goto(url);
        await page.getByText(ready).first().waitFor();
        if (viewport === undefined) {
          const violations = await seriousAccessibilityViolations(page);
          findings.push(...describeViolations(name, violations));
        } else {
          const problems = await phoneLayoutProblems(page);
          findings.push(...problems.map((problem) => `${name} (phone): ${problem}`));
          await screenshot(page, `${name}-phone`);
        }
      }
      await context.close();
    }
    assert.equal(findings.length, 0, findings.join("\n"));
  });

  it("has no serious accessibility violations and fits a phone with a wallet connected", async () => {
    const { page } = await pageWithWallet(chain.operator);
    await connect(page);
    await page.getByRole("button", { name: "Start job from wallet" }).waitFor();
    const violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations("wallet", violations).join("\n"));
    await page.setViewportSize(PHONE_VIEWPORT);
    const problems = await phoneLayoutProblems(page);
    await screenshot(page, "operator-wallet-connected-phone");
    assert.equal(problems.length, 0, problems.join("\n"));
    await page.close();
  });

  it("signs in to the portal and stamps a job with the keyboard alone", async () => {
    const page = await browser.newPage();
    await page.goto(`${portalUrl}/operator/portal`);
    await tabTo(page, page.getByLabel("Username"));
    await page.keyboard.type("ana");
    await tabTo(page, page.getByLabel("Password"));
    await page.keyboard.type(PORTAL_PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByTestId("portal-user").waitFor();

    await tabTo(page, page.getByLabel("Job reference (work order)"));
    await page.keyboard.type("WO-PORTAL-KEYBOARD");
    const lathe = page.getByRole("checkbox", { name: "Lathe 3" });
    await tabTo(page, lathe);
    await page.keyboard.press("Space");
    assert.equal(await lathe.isChecked(), true);
    await tabTo(page, page.getByRole("button", { name: "Start job" }));
    assert.ok((await focusIndicator(page)) !== undefined, "Start job draws a focus indicator");
    await page.keyboard.press("Enter");
    await page.getByText(/Started job WO-PORTAL-KEYBOARD/u).waitFor();
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-PORTAL-KEYBOARD" });
    const started = await until(
      async () => (await catalog()).jobs.find((job) => job.jobId === jobId),
      "the keyboard-stamped start on chain",
    );
    assert.equal(started.startChannel, "portal");
    await page.locator(`tr[data-job="${jobId}"]`).waitFor({ timeout: 15_000 });

    // The signed-in portal (form, running jobs) passes the same scan and fits a phone.
    const violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations("portal", violations).join("\n"));
    await page.setViewportSize(PHONE_VIEWPORT);
    const problems = await phoneLayoutProblems(page);
    await screenshot(page, "operator-portal-signed-in-phone");
    assert.equal(problems.length, 0, problems.join("\n"));
    await page.close();
  });

  it("adds a passkey in the browser, signs in with it after signing out, and stamps", async () => {
    const page = await browser.newPage();
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await page.goto(`${portalUrl}/operator/portal`);
    await signInWithPassword(page);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Passkey added: next time, sign in with it.").waitFor();
    await page.getByText("1 passkey(s).").waitFor();
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]?.rpId, "localhost");
    assert.equal(credentials[0].isResidentCredential, true);
    await screenshot(page, "operator-portal-passkey-added");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByText(/with a passkey\./u).waitFor();
    assert.equal(await page.getByTestId("portal-user").textContent(), "ana");
    await screenshot(page, "operator-portal-passkey-signed-in");

    await page.getByLabel("Job reference (work order)").fill("WO-PASSKEY-BROWSER");
    await page.getByRole("checkbox", { name: "Press 7" }).check();
    await page.getByRole("button", { name: "Start job" }).click();
    await page.getByText(/Started job WO-PASSKEY-BROWSER/u).waitFor();
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-PASSKEY-BROWSER" });
    const started = await until(
      async () => (await catalog()).jobs.find((job) => job.jobId === jobId),
      "the passkey user's start on chain",
    );
    assert.equal(started.startChannel, "portal");
    await page.close();
  });

  it("refuses a passkey the portal does not know, in words, and signs nobody in", async () => {
    const page = await browser.newPage();
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    // A discoverable credential for this portal's RP id that was never registered with it (as
    // after the user's passkey was removed from the portal, or one made for another account).
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    await cdp.send("WebAuthn.addCredential", {
      authenticatorId,
      credential: {
        credentialId: randomBytes(16).toString("base64"),
        isResidentCredential: true,
        rpId: "localhost",
        privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
        userHandle: randomBytes(32).toString("base64"),
        signCount: 0,
      },
    });
    await page.goto(`${portalUrl}/operator/portal`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByText("this passkey is not registered here").waitFor();
    assert.equal(await page.getByTestId("portal-user").count(), 0);
    assert.equal(
      (await page.context().cookies()).some((cookie) => cookie.name === "ei_portal"),
      false,
    );
    await screenshot(page, "operator-portal-passkey-refused");
    await page.close();
  });
});
