import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { StampAction, StampChannel } from "../../sdk/src/eip712/types.ts";
import {
  MACHINE_2_ID,
  MACHINE_ID,
  OTHER_SITE_ID,
  PRODUCT_ID,
  SITE_ID,
  deployAll,
  id,
  makeStamp,
  now,
  signStamp,
  type Fixture,
  type JobStamp,
  type WalletClient,
} from "./fixture.ts";

const { viem, networkHelpers } = await network.create();
async function fixture() {
  return deployAll(viem);
}
const JOB = id("job:1");

async function signed(f: Fixture, signer: WalletClient, stamp: JobStamp) {
  return {
    stamp,
    signer: signer.account.address,
    signature: await signStamp(viem, signer, f.jobs.address, stamp),
  };
}
async function relay(f: Fixture, signer: WalletClient, stamp: JobStamp) {
  return f.jobs.write.stampMany([[await signed(f, signer, stamp)]], { account: f.relayer.account });
}

describe("JobStamps", () => {
  describe("startJob and stopJob (wallet channel)", () => {
    it("records start and stop in one slot with block times and emits both events", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const asOperator = { account: f.operator.account };
      await viem.assertions.emit(
        f.jobs.write.startJob([SITE_ID, JOB, [MACHINE_ID, MACHINE_2_ID], PRODUCT_ID], asOperator),
        f.jobs,
        "JobStarted",
      );
      const startedAt = await now(viem);
      await viem.assertions.emitWithArgs(
        f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 250n], asOperator),
        f.jobs,
        "JobStopped",
        [
          SITE_ID,
          JOB,
          f.operator.account.address,
          PRODUCT_ID,
          [],
          250n,
          startedAt + 1n,
          StampChannel.wallet,
        ],
      );
      const job = await f.jobs.read.job([SITE_ID, JOB]);
      assert.deepEqual(job, {
        startedAt,
        stoppedAt: startedAt + 1n,
        units: 250n,
        productTag: await f.jobs.read.productTag([PRODUCT_ID]),
      });
    });
    it("reverts for a non-operator, including an operator of another site", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.startJob([SITE_ID, JOB, [MACHINE_ID], PRODUCT_ID], {
          account: f.stranger.account,
        }),
        f.jobs,
        "Jobs_NotOperator",
        [SITE_ID, f.stranger.account.address],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.startJob([OTHER_SITE_ID, JOB, [MACHINE_ID], PRODUCT_ID], {
          account: f.operator.account,
        }),
        f.jobs,
        "Jobs_NotOperator",
        [OTHER_SITE_ID, f.operator.account.address],
      );
      await viem.assertions.revertWithCustomError(
        f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 1n], { account: f.stranger.account }),
        f.jobs,
        "Jobs_NotOperator",
      );
    });
    it("reverts on a start without machines and on a second start", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const asOperator = { account: f.operator.account };
      await viem.assertions.revertWithCustomError(
        f.jobs.write.startJob([SITE_ID, JOB, [], PRODUCT_ID], asOperator),
        f.jobs,
        "Jobs_NoMachines",
      );
      await f.jobs.write.startJob([SITE_ID, JOB, [MACHINE_ID], PRODUCT_ID], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.startJob([SITE_ID, JOB, [MACHINE_ID], PRODUCT_ID], asOperator),
        f.jobs,
        "Jobs_AlreadyStarted",
        [SITE_ID, JOB],
      );
    });
    it("reverts on stop without start, zero units, another product, a second stop", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const asOperator = { account: f.operator.account };
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 1n], asOperator),
        f.jobs,
        "Jobs_NotStarted",
        [SITE_ID, JOB],
      );
      await f.jobs.write.startJob([SITE_ID, JOB, [MACHINE_ID], PRODUCT_ID], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 0n], asOperator),
        f.jobs,
        "Jobs_ZeroUnits",
        [JOB],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.stopJob([SITE_ID, JOB, id("product:other"), 1n], asOperator),
        f.jobs,
        "Jobs_ProductMismatch",
        [JOB, id("product:other")],
      );
      await f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 1n], asOperator);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.stopJob([SITE_ID, JOB, PRODUCT_ID, 1n], asOperator),
        f.jobs,
        "Jobs_AlreadyStopped",
        [SITE_ID, JOB],
      );
    });
  });

  describe("stampMany (relayed)", () => {
    it("applies a start signed by an operator and a stop signed by the site oracle, with signed times", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const time = await now(viem);
      const start = makeStamp({ time: time - 3600n, channel: StampChannel.portal, nonce: 5n });
      const stop = makeStamp({
        time: time - 60n,
        action: StampAction.stop,
        units: 40n,
        channel: StampChannel.sms,
        nonce: 9n,
      });
      await viem.assertions.emit(
        f.jobs.write.stampMany(
          [[await signed(f, f.operator, start), await signed(f, f.oracle, stop)]],
          {
            account: f.relayer.account,
          },
        ),
        f.jobs,
        "JobStopped",
      );
      const job = await f.jobs.read.job([SITE_ID, JOB]);
      assert.equal(job.startedAt, time - 3600n);
      assert.equal(job.stoppedAt, time - 60n);
      assert.equal(job.units, 40n);
      assert.equal(await f.jobs.read.isNonceUsed([f.operator.account.address, 5n]), true);
      assert.equal(await f.jobs.read.isNonceUsed([f.operator.account.address, 9n]), false);
      assert.equal(await f.jobs.read.isNonceUsed([f.oracle.account.address, 9n]), true);
    });
    it("accepts a stamp signed with the sdk's helpers (same digest)", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const stamp = makeStamp({ time: await now(viem) });
      const { buildJobStampTypedData } =
        await import("../../sdk/src/eip712/buildJobStampTypedData.ts");
      const { eip712Domain } = await import("../../sdk/src/eip712/eip712Domain.ts");
      const { hashEip712TypedData } = await import("../../sdk/src/eip712/hashEip712TypedData.ts");
      const typedData = buildJobStampTypedData({
        domain: eip712Domain({
          chainId: await f.publicClient.getChainId(),
          verifyingContract: f.jobs.address,
        }),
        stamp,
      });
      assert.equal(await f.jobs.read.stampDigest([stamp]), hashEip712TypedData(typedData));
    });
    it("rejects a replayed nonce", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const time = await now(viem);
      await relay(f, f.operator, makeStamp({ time, nonce: 1n }));
      await viem.assertions.revertWithCustomErrorWithArgs(
        relay(f, f.operator, makeStamp({ time, nonce: 1n, jobId: id("job:2") })),
        f.jobs,
        "Nonces_AlreadyUsed",
        [f.operator.account.address, 1n],
      );
    });
    it("enforces the clock rules: 24 h old is fine, older is not, the future only within the skew", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      // Each relayed transaction is pinned to block time T.
      const at = async <T>(blockTime: bigint, send: () => Promise<T>) => {
        await networkHelpers.time.setNextBlockTimestamp(blockTime);
        return send();
      };
      let blockTime = (await now(viem)) + 100n;
      const stampAt = (n: number, time: bigint) =>
        makeStamp({ jobId: id(`job:${n}`), time, nonce: BigInt(n) });
      await at(blockTime, () => relay(f, f.operator, stampAt(1, blockTime - 86_400n)));
      blockTime += 10n;
      const tooOld = blockTime - 86_401n;
      const tooOldStamp = await signed(f, f.operator, stampAt(2, tooOld));
      await viem.assertions.revertWithCustomErrorWithArgs(
        at(blockTime, () => f.jobs.write.stampMany([[tooOldStamp]])),
        f.jobs,
        "Jobs_StampTooOld",
        [tooOld, blockTime, 86_400n],
      );
      blockTime += 10n;
      const future = blockTime + 301n;
      const futureStamp = await signed(f, f.operator, stampAt(3, future));
      await viem.assertions.revertWithCustomErrorWithArgs(
        at(blockTime, () => f.jobs.write.stampMany([[futureStamp]])),
        f.jobs,
        "Jobs_StampInFuture",
        [future, blockTime, 300n],
      );
      blockTime += 10n;
      const skewed = await signed(f, f.operator, stampAt(4, blockTime + 300n));
      await at(blockTime, () => f.jobs.write.stampMany([[skewed]]));
    });
    it("rejects a stop not after its start (jobs are half-open)", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const time = await now(viem);
      await relay(f, f.operator, makeStamp({ time, nonce: 1n }));
      for (const [nonce, stopTime] of [
        [2n, time],
        [3n, time - 1n],
      ] as const) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          relay(
            f,
            f.operator,
            makeStamp({ time: stopTime, action: StampAction.stop, units: 1n, nonce }),
          ),
          f.jobs,
          "Jobs_StopNotAfterStart",
          [JOB, time, stopTime],
        );
      }
    });
    it("rejects an unauthorised signer, a bad signature, an unknown action and the wallet channel", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      const time = await now(viem);
      await viem.assertions.revertWithCustomErrorWithArgs(
        relay(f, f.stranger, makeStamp({ time })),
        f.jobs,
        "Jobs_SignerNotAuthorized",
        [SITE_ID, f.stranger.account.address],
      );
      const stamp = makeStamp({ time });
      const forged = {
        ...(await signed(f, f.stranger, stamp)),
        signer: f.operator.account.address,
      };
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.stampMany([[forged]]),
        f.jobs,
        "Jobs_BadSignature",
        [f.operator.account.address],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        relay(f, f.operator, makeStamp({ time, action: 3 as StampAction })),
        f.jobs,
        "Jobs_UnknownAction",
        [3],
      );
      for (const channel of [StampChannel.wallet, 5]) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          relay(f, f.operator, makeStamp({ time, channel: channel as StampChannel })),
          f.jobs,
          "Jobs_ChannelNotRelayable",
          [channel],
        );
      }
    });
    it("rejects units on a start and an empty batch", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        relay(f, f.operator, makeStamp({ time: await now(viem), units: 3n })),
        f.jobs,
        "Jobs_UnitsOnStart",
        [3n],
      );
      await viem.assertions.revertWithCustomError(
        f.jobs.write.stampMany([[]]),
        f.jobs,
        "Jobs_EmptyBatch",
      );
    });
  });

  describe("setClockRules", () => {
    it("lets an admin change the window, with an event", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      assert.deepEqual(await f.jobs.read.clockRules(), [86_400n, 300n]);
      await viem.assertions.emitWithArgs(
        f.jobs.write.setClockRules([172_800n, 60n]),
        f.jobs,
        "ClockRulesSet",
        [172_800n, 60n],
      );
      assert.deepEqual(await f.jobs.read.clockRules(), [172_800n, 60n]);
      const time = await now(viem);
      await relay(f, f.operator, makeStamp({ time: time - 100_000n, nonce: 1n }));
    });
    it("reverts for a non-admin and outside the bounds", async () => {
      const f = await networkHelpers.loadFixture(fixture);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.jobs.write.setClockRules([3600n, 60n], { account: f.manager.account }),
        f.jobs,
        "Jobs_NotAdmin",
        [f.manager.account.address],
      );
      for (const [age, skew] of [
        [59n, 0n],
        [2_592_001n, 0n],
        [3600n, 901n],
      ] as const) {
        await viem.assertions.revertWithCustomErrorWithArgs(
          f.jobs.write.setClockRules([age, skew]),
          f.jobs,
          "Jobs_ClockRuleOutOfRange",
          [age, skew],
        );
      }
    });
  });

  it("exposes its registry", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    assert.equal((await f.jobs.read.registry()).toLowerCase(), f.registry.address.toLowerCase());
  });
});
