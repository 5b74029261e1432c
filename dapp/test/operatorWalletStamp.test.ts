// Wallet stamping (channel 0) as the operator page runs it: the sdk's calls
// through an EIP-1193 wallet on a Hardhat node, each step reported, and each
// failure in words (missing role, rejected signature, wrong network, no wallet).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, type PrivateKeyAccount, createWalletClient, custom } from "viem";
import { deriveJobId } from "@energy-intelligence/sdk/jobs/index";
import {
  BRACKET,
  PRESS,
  SITE_ID,
  type StampingChain,
  mineBlock,
  startStampingChain,
} from "../../oracle/src/jobs/testing/stampingFixture.ts";
import { describeWalletError } from "../src/wallet/describeWalletError.ts";
import { readSiteCatalog } from "../src/wallet/readSiteCatalog.ts";
import { type WalletStampState, runWalletStamp } from "../src/wallet/runWalletStamp.ts";
import { TestWallet } from "./operatorTestWallet.ts";

let chain: StampingChain;

before(async () => {
  chain = await startStampingChain();
});
after(async () => {
  await chain.stop();
});

function walletOf(account: PrivateKeyAccount) {
  const wallet = new TestWallet({ rpcUrl: chain.node.rpcUrl, account, chainId: chain.chainId });
  wallet.connected = true;
  const walletClient = createWalletClient({
    chain: chain.publicClient.chain,
    transport: custom({
      request: ({ method, params }: { method: string; params?: unknown }) =>
        wallet.request({ method, params: params as unknown[] | undefined }),
    }),
  });
  return { wallet, walletClient };
}

async function stampWith(
  account: PrivateKeyAccount,
  stamp: Parameters<typeof runWalletStamp>[0]["stamp"],
  adjust: (wallet: TestWallet) => void = () => undefined,
): Promise<{ states: WalletStampState[]; final: WalletStampState }> {
  const { wallet, walletClient } = walletOf(account);
  adjust(wallet);
  const states: WalletStampState[] = [];
  const final = await runWalletStamp({
    publicClient: chain.publicClient,
    walletClient,
    account: account.address,
    jobStamps: chain.jobStamps,
    chain: { id: chain.chainId, name: "Hardhat" },
    stamp,
    onState: (state) => states.push(state),
  });
  return { states, final };
}

/** Asserts the step and narrows the state to it. */
function expectStep<S extends WalletStampState["step"]>(
  state: WalletStampState,
  step: S,
): Extract<WalletStampState, { step: S }> {
  assert.equal(
    state.step,
    step,
    JSON.stringify(state, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  );
  return state as Extract<WalletStampState, { step: S }>;
}

const jobOnChain = async (jobId: Hex) =>
  (
    await readSiteCatalog({
      publicClient: chain.publicClient,
      registry: chain.registry,
      jobStamps: chain.jobStamps,
      siteId: SITE_ID,
      fromBlock: 0n,
    })
  ).jobs.find((job) => job.jobId === jobId);

const startOf = (jobId: Hex) =>
  ({
    action: "start",
    siteId: SITE_ID,
    jobId,
    machineIds: [PRESS.machineId],
    productId: BRACKET.productId,
  }) as const;

describe("wallet stamping", () => {
  it("starts and stops a job, reporting checking, signing, pending and confirmed with the block", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-1" });
    const started = await stampWith(chain.operator, startOf(jobId));
    assert.deepEqual(
      started.states.map((state) => state.step),
      ["checking", "signing", "pending", "confirmed"],
    );
    const confirmed = expectStep(started.final, "confirmed");
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: confirmed.hash });
    assert.equal(confirmed.blockNumber, receipt.blockNumber);
    const running = await jobOnChain(jobId);
    assert.equal(running?.startChannel, "wallet");
    assert.equal(running.startedBy, chain.operator.address);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    // eth_call runs at the latest block's time: on an automining node, a later block must exist.
    await mineBlock(chain);
    const stopped = await stampWith(chain.operator, {
      action: "stop",
      siteId: SITE_ID,
      jobId,
      productId: BRACKET.productId,
      units: 25n,
    });
    assert.equal(
      stopped.final.step,
      "confirmed",
      JSON.stringify(stopped.final, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    );
    const done = await jobOnChain(jobId);
    assert.equal(done?.units, 25);
    assert.equal(done.stopChannel, "wallet");
  });

  it("names a missing operator role from the contract's custom error, before anything is signed", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-STRANGER" });
    const { states, final } = await stampWith(chain.stranger, startOf(jobId));
    assert.deepEqual(
      states.map((state) => state.step),
      ["checking", "failed"],
    );
    const { problem } = expectStep(final, "failed");
    assert.equal(problem.kind, "missing_role");
    assert.equal(problem.errorName, "Jobs_NotOperator");
    assert.match(problem.title, /is not an operator of site/u);
    assert.match(problem.hint, /operator role/u);
    assert.equal(await jobOnChain(jobId), undefined);
  });

  it("says the signature was rejected when the wallet refuses (EIP-1193 4001), and nothing is sent", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-REJECT" });
    const { states, final } = await stampWith(chain.operator, startOf(jobId), (wallet) => {
      wallet.rejectRequests = true;
    });
    assert.deepEqual(
      states.map((state) => state.step),
      ["checking", "signing", "failed"],
    );
    assert.equal(expectStep(final, "failed").problem.kind, "rejected");
    assert.equal(await jobOnChain(jobId), undefined);
  });

  it("says the wallet is on the wrong network and sends nothing", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-NET" });
    const { final } = await stampWith(chain.operator, startOf(jobId), (wallet) => {
      wallet.setChain(11155111);
    });
    const { problem } = expectStep(final, "failed");
    assert.equal(problem.kind, "wrong_network");
    assert.match(problem.title, /chain 11155111, not Hardhat/u);
    assert.equal(await jobOnChain(jobId), undefined);
  });

  it("decodes a refusal other than the role in words (job already started)", async () => {
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-WALLET-TWICE" });
    assert.equal((await stampWith(chain.operator, startOf(jobId))).final.step, "confirmed");
    const again = await stampWith(chain.operator, {
      ...startOf(jobId),
      machineIds: [`0x${"00".repeat(31)}01`],
    });
    const { problem } = expectStep(again.final, "failed");
    assert.equal(problem.kind, "contract");
    assert.equal(problem.errorName, "Jobs_AlreadyStarted");
    assert.match(problem.title, /was already started/u);
  });
});

describe("describeWalletError", () => {
  const context = { chainName: "Hardhat", chainId: 31337 };
  it("names a missing wallet from wagmi's errors", async () => {
    const { ProviderNotFoundError, ConnectorChainMismatchError } = await import("wagmi");
    assert.equal(describeWalletError(new ProviderNotFoundError(), context).kind, "no_wallet");
    const mismatch = new ConnectorChainMismatchError({
      connectionChainId: 1,
      connectorChainId: 31337,
    });
    assert.equal(describeWalletError(mismatch, context).kind, "wrong_network");
  });

  it("falls back to the wallet's own short message", () => {
    const problem = describeWalletError(new Error("socket hang up"), context);
    assert.deepEqual([problem.kind, problem.title], ["unknown", "socket hang up"]);
  });
});
