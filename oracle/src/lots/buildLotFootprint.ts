import type { Database } from "better-sqlite3";
import type { Hex } from "viem";
import type { AllocationRules } from "@energy-intelligence/sdk/allocation/types";
import { containerDocumentSchema } from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import {
  buildFootprintDocument,
  type BuildFootprintDocumentReturnType,
  type FootprintChannelInput,
} from "@energy-intelligence/sdk/footprints/buildFootprintDocument";
import { scopeJobsOf } from "@energy-intelligence/sdk/footprints/scopeJobsOf";
import type { SiteJob } from "@energy-intelligence/sdk/footprints/readSiteJobs";
import {
  selectFootprintReadings,
  type AnchoredContainerInput,
} from "@energy-intelligence/sdk/footprints/selectFootprintReadings";
import type { StreamConfig } from "../containers/containersConfigSchema.ts";

const ZERO_ID = `0x${"0".repeat(64)}`;

export type LotFootprintResult =
  | { status: "ready"; built: BuildFootprintDocumentReturnType }
  /** Not yet: a job still runs, or containers covering the scope are not closed and confirmed. */
  | { status: "wait"; reason: string }
  /** Never: the lot cannot be built as asked (named reason). */
  | { status: "refuse"; reason: string };

/**
 * Everything a lot's footprint needs, from the chain facts and the gateway's
 * own anchored containers: the scope (scopeJobsOf), the machines' and the
 * site meters' channels (devices registered on chain × the streams the
 * gateway closes), the confirmed containers covering the scope, their
 * readings with proofs and hourly factors (selectFootprintReadings), then the
 * document (buildFootprintDocument). Deterministic for the same chain and
 * store state, so a restart rebuilds the same document.
 */
export function buildLotFootprint(parameters: {
  db: Database;
  siteId: Hex;
  productId: Hex;
  lotJobIds: readonly Hex[];
  siteJobs: readonly SiteJob[];
  devices: ReadonlyMap<string, Hex>;
  streams: readonly StreamConfig[];
  rules: AllocationRules;
}): LotFootprintResult {
  const { db, siteId, siteJobs, devices } = parameters;
  const scoped = scopeJobsOf(siteJobs, parameters.lotJobIds);
  if (scoped.missing.length > 0)
    return { status: "refuse", reason: `job ${scoped.missing[0]} was never started at the site` };
  if (scoped.running.length > 0)
    return {
      status: "wait",
      reason: `job ${scoped.running[0]?.jobId} is still running on a machine of the scope`,
    };
  const wrongProduct = scoped.jobs.find(
    (job) =>
      parameters.lotJobIds.some((id) => id.toLowerCase() === job.jobId) &&
      job.productId !== parameters.productId.toLowerCase(),
  );
  if (wrongProduct !== undefined)
    return {
      status: "refuse",
      reason: `job ${wrongProduct.jobId} made product ${wrongProduct.productId}`,
    };

  const streams = parameters.streams.filter((stream) => stream.siteId === siteId.toLowerCase());
  const channelsOf = (machineId: string): (FootprintChannelInput & { streamId: Hex })[] =>
    streams.flatMap((stream) =>
      stream.channels
        .filter((channel) => devices.get(channel.deviceId.toLowerCase()) === machineId)
        .map((channel) => ({
          streamId: stream.streamId,
          deviceId: channel.deviceId,
          channel: channel.channel,
          config: {
            resetThresholdMilliWattHours: channel.resetThresholdMilliWattHours,
            maxGapMs: channel.maxGapMs,
            counterModulusMilliWattHours: channel.counterModulusMilliWattHours,
            maxPowerMilliWatts: channel.maxPowerMilliWatts,
          },
        })),
    );
  const machines = scoped.machineIds.map((machineId) => ({
    machineId,
    channels: channelsOf(machineId),
  }));
  const overheadChannels = channelsOf(ZERO_ID);
  const all = [...machines.flatMap((machine) => machine.channels), ...overheadChannels];
  if (all.length === 0)
    return { status: "refuse", reason: "no stream of the gateway meters the scope's machines" };

  const { scope } = scoped;
  const anchored: AnchoredContainerInput[] = [];
  for (const streamId of [...new Set(all.map((channel) => channel.streamId))]) {
    const cursor = db
      .prepare(
        "SELECT next_period_start_ms AS next FROM container_streams WHERE site_id = ? AND stream_id = ?",
      )
      .get(siteId.toLowerCase(), streamId) as { next: number } | undefined;
    if (cursor === undefined || cursor.next < scope.endMs)
      return {
        status: "wait",
        reason: `stream ${streamId} has not closed its periods up to the job's stop yet`,
      };
    const rows = db
      .prepare(
        `SELECT container_ref AS ref, container_id AS id, period_start_ms AS startMs, revision, cid, state FROM containers
         WHERE site_id = ? AND stream_id = ? AND period_end_ms > ? AND period_start_ms < ? ORDER BY period_start_ms, revision`,
      )
      .all(siteId.toLowerCase(), streamId, scope.startMs, scope.endMs) as {
      ref: number;
      id: string;
      startMs: number;
      revision: number;
      cid: string;
      state: string;
    }[];
    // The latest revision of each period is the one that counts.
    const latest = new Map<number, (typeof rows)[number]>();
    for (const row of rows) latest.set(row.startMs, row);
    for (const row of latest.values()) {
      if (row.state !== "confirmed")
        return {
          status: "wait",
          reason: `container ${row.id} is ${row.state}, not yet confirmed on chain`,
        };
      const bytes = db
        .prepare("SELECT document FROM containers WHERE container_ref = ?")
        .get(row.ref) as { document: Uint8Array };
      const parsed = containerDocumentSchema.safeParse(
        JSON.parse(Buffer.from(bytes.document).toString("utf8")),
      );
      if (!parsed.success)
        return {
          status: "refuse",
          reason: `container ${row.id} is sealed or not an ei-container-v1 document; footprints need public containers`,
        };
      anchored.push({ containerId: BigInt(row.id), cid: row.cid, document: parsed.data });
    }
  }
  try {
    const selected = selectFootprintReadings({ containers: anchored, channels: all, scope });
    const built = buildFootprintDocument({
      siteId,
      productId: parameters.productId,
      lotJobIds: parameters.lotJobIds,
      jobs: scoped.jobs.map((job) => ({
        jobId: job.jobId,
        productId: job.productId,
        machineIds: job.machineIds,
        startMs: job.startMs,
        stopMs: job.stopMs ?? job.startMs,
        units: job.units,
      })),
      scope,
      rules: parameters.rules,
      machines: machines.map((machine) => ({
        machineId: machine.machineId,
        channels: machine.channels.map(({ deviceId, channel, config }) => ({
          deviceId,
          channel,
          config,
        })),
      })),
      overheadChannels: overheadChannels.map(({ deviceId, channel, config }) => ({
        deviceId,
        channel,
        config,
      })),
      ...selected,
    });
    return { status: "ready", built };
  } catch (error) {
    return { status: "refuse", reason: (error as Error).message.split("\n")[0] ?? "cannot build" };
  }
}
