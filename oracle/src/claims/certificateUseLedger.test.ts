import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { keccak256, stringToHex, type Hex } from "viem";
import type { ContractualInstrument } from "@energy-intelligence/sdk/accounting/contractualInstruments";
import { buildContainer } from "@energy-intelligence/sdk/containers/buildContainer";
import { loadShippedFactorDatasets } from "@energy-intelligence/sdk/factors/index";
import {
  containerParameters,
  DEVICE_A,
  DEVICE_B,
  makeReadings,
  RESIDUAL_MIX,
  SITE_ID,
} from "../../../sdk/src/containers/containerFixture.testHelper.ts";
import { ContainersRepository } from "../store/containersRepository.ts";
import { openStore } from "../store/openStore.ts";
import { CertificateUseLedger } from "./certificateUseLedger.ts";

const CERTIFICATE = "GO-GB-2025-06-0001";
const instrument: ContractualInstrument = {
  certificateId: CERTIFICATE,
  type: "guarantee-of-origin",
  market: "GB",
  energySource: "wind",
  productionPeriod: { startMs: Date.UTC(2025, 5, 1), endMs: Date.UTC(2025, 6, 1) },
  volumeMilliWattHours: 30_000_000_000n,
  emissionFactorGramsPerKilowattHour: "0",
};
const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 };
// One real ei-container-v3 document that uses the certificate; stored as several periods.
const built = buildContainer(
  containerParameters({
    channels: [
      { deviceId: DEVICE_A, channel: 0, config },
      { deviceId: DEVICE_B, channel: 0, config },
    ],
    readings: [...makeReadings(DEVICE_A, 12_000), ...makeReadings(DEVICE_B, 7_000)],
    factors: {
      location: { datasets: loadShippedFactorDatasets(), region: "GB" },
      scope2: {
        market: "GB",
        instruments: [instrument],
        usedBefore: [{ certificateId: CERTIFICATE, milliWattHours: 0n }],
        residualMix: { datasets: [RESIDUAL_MIX], region: "GB-residual" },
      },
    },
  }),
);
const usedPerContainer = BigInt(built.document.scope2?.instruments[0]?.usedMilliWattHours ?? "0");
const OTHER_SITE: Hex = keccak256(stringToHex("site:elsewhere"));

const dataDir = mkdtempSync(path.join(tmpdir(), "ei-certificate-use-"));
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

let period = 0;
function store(containers: ContainersRepository, siteId: Hex): void {
  period += 1;
  containers.insert(
    {
      containerId: keccak256(stringToHex(`container-${period}`)),
      siteId,
      streamId: built.document.streamId,
      periodStartMs: period * 3_600_000,
      periodEndMs: (period + 1) * 3_600_000,
      revision: 0,
      supersedes: "0",
      cid: built.cid.toString(),
      header: "{}",
      headerHash: `0x${"00".repeat(32)}`,
      document: built.documentBytes,
      readingCount: built.document.readingCount,
      readingIdHigh: period,
      energyFlags: [],
    },
    Date.now(),
  );
}

/** A gateway start: the store opened, a ledger whose document reads are counted. */
function open() {
  const db = openStore({ dataDir });
  const containers = new ContainersRepository(db);
  const reads: number[] = [];
  const ledger = new CertificateUseLedger(db, {
    document: (ref) => {
      reads.push(ref);
      return containers.document(ref);
    },
  });
  return { db, containers, ledger, reads };
}

describe("the certificate use ledger (what a site's containers used of each certificate)", () => {
  it("counts each stored document once, across restarts, and the containers closed while down", () => {
    assert.ok(usedPerContainer > 0n, "the fixture container uses the certificate");
    let gateway = open();
    for (let i = 0; i < 3; i += 1) store(gateway.containers, SITE_ID);
    store(gateway.containers, OTHER_SITE);
    assert.deepEqual(
      gateway.ledger.usedAt(SITE_ID),
      new Map([[CERTIFICATE, 3n * usedPerContainer]]),
    );
    assert.equal(gateway.reads.length, 3, "the first count reads the site's documents");
    assert.deepEqual(gateway.ledger.usedAt(SITE_ID).get(CERTIFICATE), 3n * usedPerContainer);
    assert.equal(gateway.reads.length, 3, "a second ask reads nothing");
    gateway.db.close();

    // Restart: the totals come from the store, no document is read again.
    gateway = open();
    assert.equal(gateway.ledger.usedAt(SITE_ID).get(CERTIFICATE), 3n * usedPerContainer);
    assert.deepEqual(gateway.reads, []);
    // The other site's container is counted for it alone.
    assert.equal(gateway.ledger.usedAt(OTHER_SITE).get(CERTIFICATE), usedPerContainer);
    gateway.db.close();

    // A container stored while the gateway was down (another process closed it) is read once.
    const down = openStore({ dataDir });
    store(new ContainersRepository(down), SITE_ID);
    down.close();
    gateway = open();
    assert.equal(gateway.ledger.usedAt(SITE_ID).get(CERTIFICATE), 4n * usedPerContainer);
    assert.equal(gateway.reads.length, 1);
    gateway.db.close();
  });
});
