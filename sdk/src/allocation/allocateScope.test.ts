import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Hex } from "viem";
import { periodCounterEnergy } from "../accounting/periodCounterEnergy.ts";
import { InvalidInputError } from "../errors/index.ts";
import { findFactor } from "../factors/findFactor.ts";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import {
  JOB_SCENARIOS,
  loadJobScenario,
  scenarioId,
} from "../../../test/fixtures/jobs/loadJobScenario.ts";
import { allocateScope } from "./allocateScope.ts";
import type { AllocatedAmounts, AllocationChannel, AllocationJob, ShareRule } from "./types.ts";

const hexId = (n: number, fill: string): Hex => `0x${n.toString(16).padStart(64, fill)}`;
const asText = (amounts: AllocatedAmounts) => ({
  energy: amounts.energyMilliWattHours.toString(),
  location: amounts.emissionsLocationMilligramsCo2e.toString(),
  market: amounts.emissionsMarketMilligramsCo2e.toString(),
});
const add = (a: AllocatedAmounts, b: AllocatedAmounts): AllocatedAmounts => ({
  energyMilliWattHours: a.energyMilliWattHours + b.energyMilliWattHours,
  emissionsLocationMilligramsCo2e:
    a.emissionsLocationMilligramsCo2e + b.emissionsLocationMilligramsCo2e,
  emissionsMarketMilligramsCo2e: a.emissionsMarketMilligramsCo2e + b.emissionsMarketMilligramsCo2e,
});

describe("allocateScope", () => {
  describe("reference scenarios (test/fixtures/jobs, arithmetic in each README)", () => {
    for (const name of JOB_SCENARIOS) {
      it(`reproduces ${name} exactly`, () => {
        const { scenario, parameters } = loadJobScenario(name);
        const result = allocateScope(parameters);
        assert.deepEqual(asText(result.metered), scenario.expected.metered);
        assert.deepEqual(asText(result.unallocated), scenario.expected.unallocated);
        for (const job of scenario.jobs) {
          const found = result.jobs.find((entry) => entry.jobId === scenarioId(job.name));
          assert.ok(found, job.name);
          const expected = scenario.expected.jobs[job.name];
          assert.deepEqual(
            {
              direct: asText(found.direct),
              idle: asText(found.idle),
              overhead: asText(found.overhead),
              total: asText(found.total),
            },
            expected,
            job.name,
          );
        }
      });
    }
  });

  const base = () => loadJobScenario("overlapping-jobs-with-idle").parameters;

  it("keeps idle energy unallocated under rule none, and still adds up", () => {
    const parameters = { ...base(), rules: { overlap: "units", idle: "none", overhead: "none" } };
    const result = allocateScope(parameters as typeof parameters & { rules: never });
    assert.equal(result.unallocated.energyMilliWattHours, 466_667n);
    assert.equal(result.machines[0]?.idleUnallocated.energyMilliWattHours, 466_667n);
    const jobs = result.jobs.reduce((sum, job) => add(sum, job.total), result.unallocated);
    assert.deepEqual(jobs, result.metered);
  });

  it("splits an overlap equally under rule equal", () => {
    const result = allocateScope({
      ...base(),
      rules: { overlap: "equal", idle: "none", overhead: "none" },
    });
    // [08:40, 08:50) draws 500 000 mWh: 250 000 each instead of 333 333 / 166 667 by units.
    assert.equal(result.jobs[0]?.direct.energyMilliWattHours, 1_600_000n + 250_000n);
    assert.equal(result.jobs[1]?.direct.energyMilliWattHours, 250_000n + 400_000n + 333_333n);
  });

  describe("bad input: a specific error naming the field", () => {
    const cases: [string, (p: ReturnType<typeof base>) => unknown, string][] = [
      [
        "stop before start",
        (p) => ({ ...p, jobs: [{ ...p.jobs[0], stopMs: p.jobs[0]?.startMs }] }),
        "jobs[0].stopMs",
      ],
      ["zero units", (p) => ({ ...p, jobs: [{ ...p.jobs[0], units: 0n }] }), "jobs[0].units"],
      ["negative units", (p) => ({ ...p, jobs: [{ ...p.jobs[0], units: -3n }] }), "jobs[0].units"],
      [
        "unknown machine",
        (p) => ({ ...p, jobs: [{ ...p.jobs[0], machineIds: [scenarioId("nope")] }] }),
        "jobs[0].machineIds[0]",
      ],
      ["job listed twice", (p) => ({ ...p, jobs: [p.jobs[0], p.jobs[0]] }), "jobs[1].jobId"],
      [
        "job outside the scope",
        (p) => ({
          ...p,
          jobs: [{ ...p.jobs[0], startMs: p.scope.endMs, stopMs: p.scope.endMs + 1000 }],
        }),
        "jobs[0]",
      ],
      ["unknown rule", (p) => ({ ...p, rules: { ...p.rules, idle: "by-vibes" } }), "rules.idle"],
      [
        "missing hour factors",
        (p) => ({ ...p, hourFactors: p.hourFactors.slice(1) }),
        "hourFactors",
      ],
    ];
    for (const [label, change, path] of cases) {
      it(`refuses ${label}`, () => {
        const parameters = change(base()) as Parameters<typeof allocateScope>[0];
        assert.throws(
          () => allocateScope(parameters),
          (error: unknown) => error instanceof InvalidInputError && error.path === path,
        );
      });
    }
  });

  it("property: jobs + idle + overhead = the metered total, exactly, in mWh and mg", () => {
    const hourMs = 3_600_000;
    const origin = Date.UTC(2025, 2, 3, 6);
    const [factor] = [findFactor(loadShippedFactorDatasets(), "GB", origin).factor];
    const market = { ...factor, value: "412.3456789" };
    const channelArb = fc
      .array(
        fc.record({
          gapMs: fc.integer({ min: 1, max: 40 * 60_000 }),
          delta: fc.bigInt({ min: 0n, max: 3_000_000n }),
        }),
        { minLength: 1, maxLength: 20 },
      )
      .chain((steps) =>
        fc.record({
          steps: fc.constant(steps),
          firstMs: fc.integer({ min: -3_600_000, max: 3_600_000 }),
          base: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        }),
      );
    const rule = fc.constantFrom<ShareRule>("energy", "machine-hours", "units", "none");
    fc.assert(
      fc.property(
        fc.array(fc.array(channelArb, { minLength: 0, maxLength: 2 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(channelArb, { maxLength: 2 }),
        fc.array(
          fc.record({
            start: fc.integer({ min: 0, max: 3 * hourMs }),
            length: fc.integer({ min: 1, max: 2 * hourMs }),
            units: fc.bigInt({ min: 1n, max: 1000n }),
            machines: fc.uniqueArray(fc.integer({ min: 0, max: 2 }), {
              minLength: 1,
              maxLength: 3,
            }),
          }),
          { minLength: 0, maxLength: 5 },
        ),
        fc.integer({ min: 1, max: 4 * hourMs }),
        fc.constantFrom<"equal" | "units">("equal", "units"),
        rule,
        rule,
        (machineChannels, overheadSpecs, jobSpecs, scopeLength, overlap, idle, overhead) => {
          const scope = { startMs: origin + 600_000, endMs: origin + 600_000 + scopeLength };
          let device = 0;
          const toChannel = (spec: {
            steps: { gapMs: number; delta: bigint }[];
            firstMs: number;
            base: bigint;
          }): AllocationChannel => {
            let time = scope.startMs + spec.firstMs;
            let value = spec.base;
            device += 1;
            return {
              deviceId: hexId(device, "0"),
              channel: 0,
              config: { resetThresholdMilliWattHours: 0n, maxGapMs: 600_000 },
              readings: spec.steps.map((step, index) => {
                time += step.gapMs;
                value += step.delta;
                return {
                  sequence: BigInt(index),
                  timestampMs: time,
                  energyImportedMilliWattHours: value,
                  energyExportedMilliWattHours: 0n,
                  quality: "measured" as const,
                };
              }),
            };
          };
          const machines = machineChannels.map((channels, index) => ({
            machineId: hexId(index + 1, "a"),
            channels: channels.map(toChannel),
          }));
          const overheadChannels = overheadSpecs.map(toChannel);
          const jobs: AllocationJob[] = jobSpecs
            .map((spec, index) => ({
              jobId: hexId(index + 1, "b"),
              machineIds: spec.machines
                .filter((m) => m < machines.length)
                .map((m) => hexId(m + 1, "a")),
              startMs: scope.startMs - hourMs + spec.start,
              stopMs: scope.startMs - hourMs + spec.start + spec.length,
              units: spec.units,
            }))
            .filter(
              (job) =>
                job.machineIds.length > 0 &&
                job.stopMs > scope.startMs &&
                job.startMs < scope.endMs,
            );
          const hourFactors = [];
          for (
            let hour = Math.floor(scope.startMs / hourMs) * hourMs;
            hour < scope.endMs;
            hour += hourMs
          )
            hourFactors.push({ hourStartMs: hour, location: factor, market });
          const result = allocateScope({
            scope,
            machines,
            overheadChannels,
            jobs,
            hourFactors,
            rules: { overlap, idle, overhead },
          });
          const sum = result.jobs.reduce((total, job) => add(total, job.total), result.unallocated);
          assert.deepEqual(sum, result.metered);
          // The metered total is the meters' own: Σ channels C(end) − C(start), computed independently.
          let meters = 0n;
          for (const channel of [...machines.flatMap((m) => m.channels), ...overheadChannels]) {
            const period = periodCounterEnergy({
              readings: channel.readings,
              config: channel.config,
              startMs: scope.startMs,
              endMs: scope.endMs,
              nowMs: Number.MAX_SAFE_INTEGER,
              graceMs: 0,
            });
            assert.ok(period.status === "complete");
            meters += period.energy.energyImportedMilliWattHours;
          }
          assert.equal(result.metered.energyMilliWattHours, meters);
          const hours = result.hours.reduce(
            (total, hour) => total + hour.emissionsLocationMilligramsCo2e,
            0n,
          );
          assert.equal(hours, result.metered.emissionsLocationMilligramsCo2e);
          for (const job of result.jobs) assert.ok(job.total.energyMilliWattHours >= 0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
