import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jobStampsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { StampChannel } from "@energy-intelligence/sdk/eip712/index";
import { stampMany } from "@energy-intelligence/sdk/jobs/index";
import type { StampRecord } from "./jobsRepository.ts";
import { signedStampOf } from "./signedStampOf.ts";
import { signStampManyTransaction } from "./signStampManyTransaction.ts";
import { StampSubmitter } from "./stampSubmitter.ts";
import {
  SITE_ID,
  type StampingChain,
  type StampingGateway,
  openStampingGateway,
  startStampingChain,
} from "./testing/stampingFixture.ts";

let chain: StampingChain;
before(async () => {
  chain = await startStampingChain();
});
after(async () => {
  await chain.stop();
});

async function startedEvents(jobId: Hex) {
  return chain.publicClient.getContractEvents({
    address: chain.jobStamps,
    abi: jobStampsAbi,
    eventName: "JobStarted",
    args: { jobId },
    fromBlock: 0n,
  });
}

/** A gateway whose submitter does not run by itself: the test drives passes (a "restart" is a new submitter). */
async function pausedGateway(dataDir?: string): Promise<StampingGateway> {
  return openStampingGateway(chain, {
    startSubmitter: false,
    ...(dataDir === undefined ? {} : { dataDir }),
  });
}

function submitterFor(gateway: StampingGateway): StampSubmitter {
  return new StampSubmitter({
    jobs: gateway.stamping.jobs,
    directory: gateway.stamping.directory,
    relayer: privateKeyToAccount(chain.relayerKey),
    chainId: chain.chainId,
    logger: pino({ level: "silent" }),
    maxBatchStamps: 50,
    batchDelayMs: 0,
    pollIntervalMs: 100,
    backoff: { initialMs: 10, maxMs: 100 },
  });
}

async function start(gateway: StampingGateway, reference: string, machine: string) {
  return gateway.stamping.service.start({
    siteId: SITE_ID,
    channel: StampChannel.api,
    source: "test",
    receivedAtMs: Date.now(),
    reference,
    machines: [machine],
    product: "BRK-A",
  });
}

/** Stops whatever runs on the site's machines (so the next test finds them free) and lands the stops. */
async function stopAll(gateway: StampingGateway): Promise<void> {
  await gateway.stamping.directory.refresh();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  for (const machine of ["Press 7", "Lathe 3"]) {
    const { job } = await gateway.stamping.service.runningOn(SITE_ID, machine);
    if (job === undefined) continue;
    await gateway.stamping.service.stop({
      siteId: SITE_ID,
      jobId: job.jobId,
      units: 1,
      channel: StampChannel.api,
      source: "test",
      receivedAtMs: Date.now(),
    });
  }
  await submitterFor(gateway).runOnce();
}

describe("StampSubmitter", () => {
  it("after a crash between broadcast and receipt, a restart confirms from the recorded hash without resending", async () => {
    const dataDir = mkdtempSync(path.join(chain.directory, "crash-"));
    const first = await pausedGateway(dataDir);
    const a = await start(first, "WO-CRASH-A", "Press 7");
    const b = await start(first, "WO-CRASH-B", "Lathe 3");
    // What the first process did before dying: record the hash, broadcast, then nothing.
    const due = first.stamping.jobs.due(Date.now(), 10);
    // The submitter's own signing step, then what it does before broadcast: record the hash.
    const relayer = privateKeyToAccount(chain.relayerKey);
    const { raw, txHash } = await signStampManyTransaction({
      client: chain.publicClient,
      account: relayer,
      chainId: chain.chainId,
      jobStamps: chain.jobStamps,
      stamps: due,
    });
    first.stamping.jobs.markSubmitted(
      due.map((s) => s.stampRef),
      txHash,
    );
    await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
    await first.close();

    const restarted = await pausedGateway(dataDir);
    try {
      const nonceBefore = await chain.publicClient.getTransactionCount({
        address: relayer.address,
      });
      await submitterFor(restarted).runOnce();
      assert.deepEqual(restarted.stamping.jobs.countByState(), {
        queued: 0,
        submitted: 0,
        confirmed: 2,
        failed: 0,
      });
      assert.equal(
        await chain.publicClient.getTransactionCount({ address: relayer.address }),
        nonceBefore,
        "nothing was sent again",
      );
      assert.equal((await startedEvents(a.job.jobId)).length, 1);
      assert.equal((await startedEvents(b.job.jobId)).length, 1);
      await stopAll(restarted);
    } finally {
      await restarted.close();
    }
  });

  it("a stamp put back in the queue but already on chain is confirmed by lookup, never stamped twice", async () => {
    const gateway = await pausedGateway();
    try {
      const view = await start(gateway, "WO-REQUEUED", "Press 7");
      const stamp = view.start;
      assert.ok(stamp !== undefined);
      // It went out once (its receipt timed out, so it was requeued), and then it was mined.
      gateway.stamping.jobs.markSubmitted([stamp.stampRef], null);
      gateway.stamping.jobs.requeue([stamp.stampRef], "receipt timeout", 0);
      const relay = (wallet: ReturnType<StampingChain["walletFor"]>, stamps: StampRecord[]) =>
        stampMany({
          publicClient: chain.publicClient,
          walletClient: wallet,
          address: chain.jobStamps,
          stamps: stamps.map(signedStampOf),
        });
      await chain.publicClient.waitForTransactionReceipt({
        hash: await relay(chain.walletFor(privateKeyToAccount(chain.relayerKey)), [stamp]),
      });
      // Another relayer copied a second, never-sent stamp to the chain (a nonce lands once whoever sends it).
      const other = await start(gateway, "WO-COPIED", "Lathe 3");
      assert.ok(other.start !== undefined);
      await chain.publicClient.waitForTransactionReceipt({
        hash: await relay(chain.walletFor(chain.stranger), [other.start]),
      });
      await submitterFor(gateway).runOnce();
      assert.equal(gateway.stamping.jobs.stamp(stamp.stampRef)?.state, "confirmed");
      assert.equal(gateway.stamping.jobs.stamp(other.start.stampRef)?.state, "confirmed");
      assert.equal((await startedEvents(view.job.jobId)).length, 1);
      assert.equal((await startedEvents(other.job.jobId)).length, 1);
      await stopAll(gateway);
    } finally {
      await gateway.close();
    }
  });

  it("a stamp the chain refuses fails alone with the contract's reason; the rest of its batch lands", async () => {
    const gateway = await pausedGateway();
    try {
      const good = await start(gateway, "WO-GOOD", "Oven 1").catch(() => undefined);
      assert.equal(good, undefined, "an unregistered machine is refused before queueing");
      const ok = await start(gateway, "WO-BATCH-OK", "Press 7");
      const tampered = await start(gateway, "WO-BATCH-BAD", "Lathe 3");
      assert.ok(tampered.start !== undefined && ok.start !== undefined);
      // Corrupt the queued signature, as a damaged store would: the chain must refuse just this one.
      gateway.db
        .prepare("UPDATE job_stamps SET signature = ? WHERE stamp_ref = ?")
        .run(`0x${"11".repeat(64)}1b`, tampered.start.stampRef);
      await submitterFor(gateway).runOnce();
      const failed = gateway.stamping.jobs.stamp(tampered.start.stampRef);
      assert.equal(failed?.state, "failed");
      assert.match(failed.lastError ?? "", /signature/u);
      assert.equal(gateway.stamping.jobs.job(SITE_ID, tampered.job.jobId)?.state, "failed");
      assert.equal(
        gateway.stamping.jobs.busyJob(SITE_ID, tampered.job.machineIds[0] ?? "0x"),
        undefined,
        "its machine is free again",
      );
      assert.equal(gateway.stamping.jobs.stamp(ok.start.stampRef)?.state, "confirmed");
    } finally {
      await gateway.close();
    }
  });
});
