import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEventLogs } from "viem";
import { jobStampsAbi } from "../../../sdk/src/contracts/generated/abis.ts";
import { eip712Domain } from "../../../sdk/src/eip712/eip712Domain.ts";
import { StampAction, StampChannel } from "../../../sdk/src/eip712/types.ts";
import { InvalidInputError } from "../../../sdk/src/errors/index.ts";
import {
  MACHINE_2_ID,
  MACHINE_ID,
  PRODUCT_ID,
  SITE_ID,
  deployAll,
  id,
} from "../../contracts/fixture.ts";
import {
  JobStampsError,
  deriveJobId,
  readJob,
  signJobStamp,
  stampMany,
  startJob,
  stopJob,
} from "../../../sdk/src/jobs/index.ts";

const { viem, networkHelpers } = await network.create();
const fixture = () => deployAll(viem);

async function rejectsWith(promise: Promise<unknown>, errorName: string): Promise<JobStampsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof JobStampsError, `expected a JobStampsError, got ${String(error)}`);
    assert.equal(error.errorName, errorName);
    return error;
  }
  assert.fail(`expected ${errorName}`);
}

describe("wallet channel (startJob / stopJob)", () => {
  it("starts and stops a job from the operator's wallet: channel 0, block times, units", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-wallet" });
    const common = {
      publicClient: f.publicClient,
      walletClient: f.operator,
      address: f.jobs.address,
      siteId: SITE_ID,
      jobId,
    };
    const startHash = await startJob({
      ...common,
      machineIds: [MACHINE_ID, MACHINE_2_ID],
      productId: PRODUCT_ID,
    });
    const startReceipt = await f.publicClient.waitForTransactionReceipt({ hash: startHash });
    const [started] = parseEventLogs({
      abi: jobStampsAbi,
      logs: startReceipt.logs,
      eventName: "JobStarted",
    });
    assert.ok(started !== undefined);
    const startBlock = await f.publicClient.getBlock({ blockNumber: startReceipt.blockNumber });
    assert.equal(started.args.channel, StampChannel.wallet);
    assert.equal(started.args.time, startBlock.timestamp);
    assert.equal(started.args.stampedBy, getAddress(f.operator.account.address));

    // eth_call runs at the latest block's time: let a block pass so the stop simulates after the start.
    await networkHelpers.time.increase(30);
    const stopHash = await stopJob({ ...common, productId: PRODUCT_ID, units: 120n });
    await f.publicClient.waitForTransactionReceipt({ hash: stopHash });
    const job = await readJob({ ...common });
    assert.equal(job.state, "stopped");
    assert.equal(job.units, 120n);
    assert.equal(job.startedAt, startBlock.timestamp);
    assert.ok(job.stoppedAt > job.startedAt);
  });

  it("names each refusal in plain words and sends nothing", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-bad" });
    const common = {
      publicClient: f.publicClient,
      address: f.jobs.address,
      siteId: SITE_ID,
      jobId,
    };
    const before = await f.publicClient.getTransactionCount({
      address: f.stranger.account.address,
    });
    const notOperator = await rejectsWith(
      startJob({
        ...common,
        walletClient: f.stranger,
        machineIds: [MACHINE_ID],
        productId: PRODUCT_ID,
      }),
      "Jobs_NotOperator",
    );
    assert.match(notOperator.shortMessage, /is not an operator of site/u);
    assert.match(notOperator.message, /Hint: Ask the site manager/u);
    assert.equal(
      await f.publicClient.getTransactionCount({ address: f.stranger.account.address }),
      before,
      "no transaction sent",
    );
    await rejectsWith(
      stopJob({ ...common, walletClient: f.operator, productId: PRODUCT_ID, units: 1n }),
      "Jobs_NotStarted",
    );
    await rejectsWith(
      startJob({ ...common, walletClient: f.operator, machineIds: [], productId: PRODUCT_ID }),
      "Jobs_NoMachines",
    );
    await f.publicClient.waitForTransactionReceipt({
      hash: await startJob({
        ...common,
        walletClient: f.operator,
        machineIds: [MACHINE_ID],
        productId: PRODUCT_ID,
      }),
    });
    await rejectsWith(
      startJob({
        ...common,
        walletClient: f.operator,
        machineIds: [MACHINE_ID],
        productId: PRODUCT_ID,
      }),
      "Jobs_AlreadyStarted",
    );
    await rejectsWith(
      stopJob({ ...common, walletClient: f.operator, productId: id("product:other"), units: 5n }),
      "Jobs_ProductMismatch",
    );
    await assert.rejects(
      stopJob({ ...common, walletClient: f.operator, productId: PRODUCT_ID, units: 0n }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "units",
    );
    assert.equal((await readJob({ ...common })).state, "running", "the job is unchanged");
  });
});

describe("relay helpers (signJobStamp / stampMany)", () => {
  it("relays operator-signed stamps in one batch with their channel and signed times; a replay is named", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const domain = eip712Domain({
      chainId: await f.publicClient.getChainId(),
      verifyingContract: f.jobs.address,
    });
    const block = await f.publicClient.getBlock();
    const jobId = deriveJobId({ siteId: SITE_ID, reference: "WO-relay" });
    const base = {
      jobId,
      siteId: SITE_ID,
      machineIds: [MACHINE_ID],
      productId: PRODUCT_ID,
      channel: StampChannel.relay,
    };
    const start = await signJobStamp({
      domain,
      signer: f.operator,
      stamp: {
        ...base,
        action: StampAction.start,
        units: 0n,
        time: block.timestamp - 60n,
        nonce: 0n,
      },
    });
    const stop = await signJobStamp({
      domain,
      signer: f.operator,
      stamp: {
        ...base,
        action: StampAction.stop,
        units: 40n,
        time: block.timestamp - 5n,
        nonce: 1n,
      },
    });
    assert.equal(start.signer, f.operator.account.address);
    const relay = {
      publicClient: f.publicClient,
      walletClient: f.relayer,
      address: f.jobs.address,
    };
    const hash = await stampMany({ ...relay, stamps: [start, stop] });
    const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
    const [started] = parseEventLogs({
      abi: jobStampsAbi,
      logs: receipt.logs,
      eventName: "JobStarted",
    });
    assert.ok(started !== undefined);
    assert.equal(started.args.channel, StampChannel.relay);
    assert.equal(started.args.time, block.timestamp - 60n);
    const job = await readJob({ ...relay, siteId: SITE_ID, jobId });
    assert.deepEqual(
      [job.startedAt, job.stoppedAt, job.units],
      [block.timestamp - 60n, block.timestamp - 5n, 40n],
    );

    const replay = await rejectsWith(stampMany({ ...relay, stamps: [stop] }), "Nonces_AlreadyUsed");
    assert.match(replay.shortMessage, /replay/u);
  });
});
