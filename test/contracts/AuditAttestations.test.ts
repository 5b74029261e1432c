import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import {
  MACHINE_ID,
  PRODUCT_ID,
  SAMPLE_CID,
  SITE_ID,
  deployAll,
  id,
  makeFootprint,
  makeHeader,
  signBatch,
  signFootprint,
} from "./fixture.ts";

const { viem, networkHelpers } = await network.create();
const CONTAINER = 1;
const LOT = 2;

/** The base fixture plus one anchored container and one minted lot. */
async function fixture() {
  const f = await deployAll(viem);
  const header = makeHeader(0);
  await f.containers.write.anchor([
    header,
    f.oracle.account.address,
    await signBatch(viem, f.oracle, f.containers.address, [header]),
  ]);
  const containerId = await f.containers.read.containerId([
    header.siteId,
    header.streamId,
    header.periodStart,
    header.periodEnd,
    0,
  ]);
  const asOperator = { account: f.operator.account };
  await f.jobs.write.startJob([SITE_ID, id("job:1"), [MACHINE_ID], PRODUCT_ID], asOperator);
  await f.jobs.write.stopJob([SITE_ID, id("job:1"), PRODUCT_ID, 100n], asOperator);
  const footprint = makeFootprint();
  await f.lots.write.mint([
    footprint,
    f.oracle.account.address,
    await signFootprint(viem, f.oracle, f.lots.address, footprint),
  ]);
  const lotId = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, footprint.jobIds]);
  return { ...f, containerId, lotId };
}

describe("AuditAttestations", () => {
  it("records an auditor's verdict on a container and on a lot, latest wins", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const asAuditor = { account: f.auditor.account };
    await viem.assertions.emitWithArgs(
      f.attestations.write.attest([CONTAINER, f.containerId, 1, SAMPLE_CID], asAuditor),
      f.attestations,
      "Attested",
      [CONTAINER, f.containerId, f.auditor.account.address, 1, SAMPLE_CID],
    );
    const hash = await f.attestations.write.attest([LOT, f.lotId, 3, SAMPLE_CID], asAuditor);
    const { blockNumber } = await f.publicClient.waitForTransactionReceipt({ hash });
    assert.deepEqual(
      await f.attestations.read.attestationOf([LOT, f.lotId, f.auditor.account.address]),
      {
        verdict: 3,
        blockNumber,
      },
    );
    await f.attestations.write.attest([LOT, f.lotId, 2, SAMPLE_CID], asAuditor);
    assert.equal(
      (await f.attestations.read.attestationOf([LOT, f.lotId, f.auditor.account.address])).verdict,
      2,
    );
    assert.equal(
      (await f.attestations.read.attestationOf([LOT, f.lotId, f.stranger.account.address])).verdict,
      0,
    );
  });
  it("reverts for a non-auditor, even a site manager or oracle", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    for (const wallet of [f.stranger, f.manager, f.oracle]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.attestations.write.attest([CONTAINER, f.containerId, 1, SAMPLE_CID], {
          account: wallet.account,
        }),
        f.attestations,
        "Attestations_NotAuditor",
        [wallet.account.address],
      );
    }
  });
  it("reverts on a bad verdict, an empty report CID, an unknown kind and an unknown subject", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const asAuditor = { account: f.auditor.account };
    for (const verdict of [0, 4]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.attestations.write.attest([CONTAINER, f.containerId, verdict, SAMPLE_CID], asAuditor),
        f.attestations,
        "Attestations_InvalidVerdict",
        [verdict],
      );
    }
    await viem.assertions.revertWithCustomError(
      f.attestations.write.attest([CONTAINER, f.containerId, 1, "0x"], asAuditor),
      f.attestations,
      "Attestations_EmptyReportCid",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.attestations.write.attest([3, f.containerId, 1, SAMPLE_CID], asAuditor),
      f.attestations,
      "Attestations_UnknownSubjectKind",
      [3],
    );
    // A lot id is no container id and vice versa.
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.attestations.write.attest([CONTAINER, f.lotId, 1, SAMPLE_CID], asAuditor),
      f.attestations,
      "Attestations_UnknownSubject",
      [CONTAINER, f.lotId],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      f.attestations.write.attest([LOT, f.containerId, 1, SAMPLE_CID], asAuditor),
      f.attestations,
      "Attestations_UnknownSubject",
      [LOT, f.containerId],
    );
  });
  it("exposes its dependencies", async () => {
    const f = await networkHelpers.loadFixture(fixture);
    const addresses = (await f.attestations.read.dependencies()).map((a) => a.toLowerCase());
    assert.deepEqual(
      addresses,
      [f.registry.address, f.containers.address, f.lots.address].map((a) => a.toLowerCase()),
    );
  });
});
