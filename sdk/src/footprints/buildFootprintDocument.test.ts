import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { canonicalJsonBytes } from "../json/index.ts";
import {
  buildScenarioContainers,
  SCENARIO_SITE_ID,
} from "../../../test/fixtures/jobs/buildScenarioContainers.ts";
import {
  JOB_SCENARIOS,
  loadJobScenario,
  scenarioId,
  type JobScenarioName,
} from "../../../test/fixtures/jobs/loadJobScenario.ts";
import { InvalidInputError } from "../errors/index.ts";
import { buildFootprintDocument } from "./buildFootprintDocument.ts";
import { selectFootprintReadings } from "./selectFootprintReadings.ts";
import { verifyFootprintDocument } from "./verifyFootprintDocument.ts";
import type { ContainerFacts, JobFacts } from "./verifyFootprintDocument.ts";

const PRODUCT: Hex = `0x${"9d".repeat(32)}`;

function buildScenarioFootprint(name: JobScenarioName) {
  const loaded = loadJobScenario(name);
  const { parameters, scenario } = loaded;
  const anchored = buildScenarioContainers(loaded);
  const channels = [
    ...parameters.machines.flatMap((machine) => machine.channels),
    ...parameters.overheadChannels,
  ];
  const selected = selectFootprintReadings({
    containers: anchored,
    channels,
    scope: parameters.scope,
  });
  const built = buildFootprintDocument({
    siteId: SCENARIO_SITE_ID,
    productId: PRODUCT,
    lotJobIds: scenario.lot.map(scenarioId),
    jobs: parameters.jobs.map((job) => ({ ...job, productId: PRODUCT })),
    scope: parameters.scope,
    rules: parameters.rules,
    machines: parameters.machines,
    overheadChannels: parameters.overheadChannels,
    ...selected,
  });
  // The chain facts an auditor would read, here taken from what was built.
  const jobs = new Map<string, JobFacts>(
    parameters.jobs.map((job) => [
      job.jobId.toLowerCase(),
      {
        startMs: job.startMs,
        stopMs: job.stopMs,
        units: job.units,
        productId: PRODUCT,
        machineIds: job.machineIds,
      },
    ]),
  );
  const containers = new Map<string, ContainerFacts>(
    anchored.map((container) => [
      container.containerId.toString(),
      {
        streamId: container.document.streamId,
        periodStartMs: container.document.period.startMs,
        periodEndMs: container.document.period.endMs,
        revision: container.document.revision,
        merkleRoot: container.document.merkleRoot,
        cid: container.cid,
        hours: container.document.hours,
      },
    ]),
  );
  const devices = new Map<string, Hex>([
    ...parameters.machines.flatMap((machine) =>
      machine.channels.map(
        (channel) => [channel.deviceId.toLowerCase(), machine.machineId] as [string, Hex],
      ),
    ),
    ...parameters.overheadChannels.map(
      (channel) => [channel.deviceId.toLowerCase(), `0x${"0".repeat(64)}`] as [string, Hex],
    ),
  ]);
  const lot = {
    siteId: built.footprint.siteId,
    productId: built.footprint.productId,
    jobIds: built.footprint.jobIds,
    units: built.footprint.units,
    cid: built.cid.toString(),
    energyMilliWattHours: built.footprint.energyMilliWattHours,
    emissionsLocationMilligramsCo2e: built.footprint.emissionsLocationMilligramsCo2e,
    emissionsMarketMilligramsCo2e: built.footprint.emissionsMarketMilligramsCo2e,
  };
  const facts = {
    lot,
    jobs,
    containers,
    devices,
    overlappingJobIds: parameters.jobs.map((job) => job.jobId),
  };
  return { built, scenario, facts };
}

describe("footprint documents", () => {
  for (const name of JOB_SCENARIOS) {
    it(`${name}: built from anchored containers, the lot carries the hand-computed figures and verifies`, () => {
      const { built, scenario, facts } = buildScenarioFootprint(name);
      const { expected } = scenario;
      assert.deepEqual(built.document.lot.total, {
        energyMilliWattHours: expected.lot.total.energy,
        emissionsLocationMilligramsCo2e: expected.lot.total.location,
        emissionsMarketMilligramsCo2e: expected.lot.total.market,
      });
      assert.deepEqual(built.document.lot.perUnit, {
        energyMilliWattHours: expected.lot.perUnit.energy,
        emissionsLocationMilligramsCo2e: expected.lot.perUnit.location,
        emissionsMarketMilligramsCo2e: expected.lot.perUnit.market,
      });
      assert.equal(built.document.lot.units, expected.lot.units);
      const result = verifyFootprintDocument({ documentBytes: built.documentBytes, ...facts });
      assert.equal(result.firstFailure, undefined, JSON.stringify(result.firstFailure));
      assert.ok(result.complete);
    });
  }

  it("is deterministic whatever the input order", () => {
    const loaded = loadJobScenario("line-with-overhead");
    const first = buildScenarioFootprint("line-with-overhead").built;
    const anchored = buildScenarioContainers(loaded).reverse();
    const { parameters, scenario } = loaded;
    const channels = [
      ...parameters.machines.flatMap((m) => m.channels),
      ...parameters.overheadChannels,
    ].reverse();
    const selected = selectFootprintReadings({
      containers: anchored,
      channels,
      scope: parameters.scope,
    });
    const second = buildFootprintDocument({
      siteId: SCENARIO_SITE_ID,
      productId: PRODUCT,
      lotJobIds: scenario.lot.map(scenarioId),
      jobs: [...parameters.jobs].reverse().map((job) => ({ ...job, productId: PRODUCT })),
      scope: parameters.scope,
      rules: parameters.rules,
      machines: [...parameters.machines].reverse(),
      overheadChannels: parameters.overheadChannels,
      ...selected,
      readings: [...selected.readings].reverse(),
    });
    assert.equal(second.cid.toString(), first.cid.toString());
  });

  describe("tampering is named", () => {
    const tamper = (change: (document: Record<string, unknown>) => void) => {
      const { built, facts } = buildScenarioFootprint("overlapping-jobs-with-idle");
      const document = structuredClone(built.document) as unknown as Record<string, unknown>;
      change(document);
      return verifyFootprintDocument({
        documentBytes: canonicalJsonBytes(document),
        ...facts,
        lot: { ...facts.lot, cid: built.cid.toString() },
      });
    };
    it("a changed total fails at the lot check, then the recompute names the field", () => {
      const result = tamper((document) => {
        const jobs = document.jobs as { total: { energyMilliWattHours: string } }[];
        if (jobs[0] !== undefined) jobs[0].total.energyMilliWattHours = "1";
      });
      assert.equal(result.checks.find((check) => check.id === "cid")?.ok, false);
      const recompute = result.checks.find((check) => check.id === "recompute");
      assert.equal(recompute?.ok, false);
      assert.match(
        recompute.detail,
        /^\$\.jobs\[0\]\.total\.energyMilliWattHours: recomputed "2180392"/u,
      );
    });
    it("a changed reading fails its Merkle proof", () => {
      const result = tamper((document) => {
        const readings = document.readings as {
          reading: { energyImportedMilliWattHours: string };
        }[];
        if (readings[3] !== undefined)
          readings[3].reading.energyImportedMilliWattHours = "12200000";
      });
      const check = result.checks.find((entry) => entry.id === "readings");
      assert.equal(check?.ok, false);
      assert.match(check.detail, /^readings\[3\]/u);
    });
    it("a dropped job fails the scope check", () => {
      const result = tamper((document) => {
        (document.jobs as unknown[]).pop();
      });
      assert.equal(result.checks.find((entry) => entry.id === "scope-jobs")?.ok, false);
    });
    it("a changed rule changes the recomputed figures", () => {
      const result = tamper((document) => {
        (document.rules as { idle: string }).idle = "units";
      });
      const recompute = result.checks.find((entry) => entry.id === "recompute");
      assert.equal(recompute?.ok, false);
      assert.match(recompute.detail, /idle/u);
    });
  });

  it("refuses a lot job that is not in the scope, naming it", () => {
    const { parameters } = loadJobScenario("one-machine-one-job");
    assert.throws(
      () =>
        buildFootprintDocument({
          siteId: SCENARIO_SITE_ID,
          productId: PRODUCT,
          lotJobIds: [scenarioId("missing")],
          jobs: parameters.jobs.map((job) => ({ ...job, productId: PRODUCT })),
          scope: parameters.scope,
          rules: parameters.rules,
          machines: parameters.machines,
          overheadChannels: [],
          readings: [],
          containers: [],
          hourFactors: parameters.hourFactors,
        }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "lotJobIds[0]",
    );
  });
});
