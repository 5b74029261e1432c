import type { Database } from "better-sqlite3";
import type { Logger } from "pino";
import { toHex } from "viem";
import {
  buildContainer,
  type ContainerChannelInput,
  type ContainerReadingInput,
} from "@energy-intelligence/sdk/containers/buildContainer";
import { computeContainerId } from "@energy-intelligence/sdk/containers/computeContainerId";
import { hashContainerHeader } from "@energy-intelligence/sdk/containers/hashContainerHeader";
import { hourCutsMs } from "@energy-intelligence/sdk/accounting/hourCutsMs";
import type {
  AverageIntensityKind,
  FactorDataset,
  HourlyFactor,
} from "@energy-intelligence/sdk/factors/index";
import {
  loadShippedFactorDatasets,
  loadShippedResidualMixDatasets,
} from "@energy-intelligence/sdk/factors/index";
import type { ContractualInstrument } from "@energy-intelligence/sdk/accounting/contractualInstruments";
import type { DEVICE_AUTH_SCHEMES } from "@energy-intelligence/sdk";
import type { Counter } from "../metrics/metricsRegistry.ts";
import type { MetricsRegistry } from "../metrics/metricsRegistry.ts";
import type { ContainerStreamsRepository } from "../store/containerStreamsRepository.ts";
import type { ContainersRepository } from "../store/containersRepository.ts";
import type { ReadingsQueries, StoredReading } from "../store/readingsQueries.ts";
import type { LiveGridSource } from "../factors/resolveLiveHourlyFactors.ts";
import { resolveLiveHourlyFactors } from "../factors/resolveLiveHourlyFactors.ts";
import { boundariesFromJson } from "./counterBoundaryJson.ts";
import { containerHeaderToJson } from "./containerHeaderJson.ts";
import type { StreamConfig } from "./containersConfigSchema.ts";
import { CertificateUseLedger } from "../claims/certificateUseLedger.ts";

export interface ContainerCloserOptions {
  db: Database;
  containers: ContainersRepository;
  streams: ContainerStreamsRepository;
  readings: ReadingsQueries;
  /** device id → device_ref, or undefined while the device is not registered. */
  deviceRef: (deviceId: string) => number | undefined;
  streamConfigs: readonly StreamConfig[];
  periodMs: number;
  graceMs: number;
  siteSecret: `0x${string}`;
  logger: Logger;
  metrics?: MetricsRegistry | undefined;
  datasets?: readonly FactorDataset[] | undefined;
  /** Most periods one stream closes per pass, so a long backlog does not starve ingest of the CPU. */
  maxPeriodsPerPass?: number;
  /** Auditors' X25519 public keys per site whose documents are sealed; other sites publish in the clear. */
  sealedSites?: ReadonlyMap<string, readonly `0x${string}`[]> | undefined;
  /**
   * The gateway's `factors.grid` live source (createGridIntensitySource) and the kind asked of it.
   * When set, a period closes only once prepareFactors has resolved its hours (live, or the shipped
   * factor with the recorded reason), and its container is `ei-container-v2`.
   */
  liveFactors?: { source: LiveGridSource; kind: AverageIntensityKind } | undefined;
  /**
   * Market-based Scope 2 inside the containers (`ei-container-v3`): the contractual instruments
   * (config `factors.instrumentsFile`) and the market boundary (`factors.market`, else each
   * stream's location region). Streams with generation channels are always v3.
   */
  market?:
    | {
        instruments: readonly ContractualInstrument[];
        market?: string | undefined;
        /**
         * Volume of a certificate claimed by other sites or companies (CertificateClaims, read
         * through sdk/claims); this gateway's own use is taken from its earlier containers.
         */
        claimedElsewhere?: ((certificateId: string) => bigint) | undefined;
        /**
         * Claims on chain (oracle/src/claims): when set, a period applies an instrument only for
         * the watt-hours its claim in CertificateClaims confirmed, and waits until they settle.
         */
        claims?: CertificateClaimsGate | undefined;
      }
    | undefined;
  residualMixDatasets?: readonly FactorDataset[] | undefined;
}

/** What the closer needs of the on-chain claims of certificates (CertificateClaimer). */
export interface CertificateClaimsGate {
  /** What the chain leaves of the instrument for this gateway, mWh; undefined until the chain was read. */
  availableMilliWattHours(instrument: ContractualInstrument): bigint | undefined;
  /** The claims a period queued (none when it has not asked yet, or needed none). */
  periodClaims(
    siteId: `0x${string}`,
    streamId: `0x${string}`,
    periodStartMs: number,
  ): readonly {
    certificateId: string;
    wattHours: bigint;
    state: "queued" | "submitted" | "confirmed" | "refused";
  }[];
  /** Queues the period's claims durably; returns how many (0: nothing worth a whole watt-hour). */
  queuePeriod(
    period: {
      siteId: `0x${string}`;
      streamId: `0x${string}`;
      periodStartMs: number;
      periodEndMs: number;
    },
    uses: readonly { certificateId: string; milliWattHours: bigint }[],
  ): number;
}

interface ResolvedChannel {
  deviceId: `0x${string}`;
  deviceRef: number;
  channel: number;
  input: ContainerChannelInput;
}

type AuthScheme = (typeof DEVICE_AUTH_SCHEMES)[number];

function toInput(deviceId: `0x${string}`, reading: StoredReading): ContainerReadingInput {
  return {
    deviceId,
    channel: reading.channel,
    sequence: BigInt(reading.sequence),
    timestampMs: reading.timestampMs,
    energyImportedMilliWattHours: reading.energyImportedMilliWattHours,
    energyExportedMilliWattHours: reading.energyExportedMilliWattHours,
    quality: reading.quality,
    authentication: reading.authScheme as AuthScheme,
    counterEpoch: reading.counterEpoch ?? undefined,
    powerMilliWatts: reading.powerMilliWatts ?? undefined,
    voltageMillivolts: reading.voltageMillivolts ?? undefined,
    currentMilliamps: reading.currentMilliamps ?? undefined,
    powerFactorPerMille: reading.powerFactorPerMille ?? undefined,
  };
}

const preparedKey = (stream: StreamConfig, startMs: number) =>
  `${stream.siteId}/${stream.streamId}/${startMs}`;

function sealedDisclosure(
  sealedSites: ReadonlyMap<string, readonly `0x${string}`[]> | undefined,
  siteId: string,
) {
  const recipients = sealedSites?.get(siteId);
  return recipients === undefined
    ? ({ mode: "public" } as const)
    : ({ mode: "sealed", recipients } as const);
}

/**
 * Closes each stream's periods into containers (oracle/README.md, "Anchoring").
 *
 * A period [start, end) closes once every channel has a reading at or after
 * `end`, or at `end + grace` whatever arrived: the sdk then holds the missing
 * boundary and flags the energy `held` (an estimate, never silent), and a gap
 * inside the period is bridged and flagged `gap-bridged`. The readings are read
 * in one snapshot (those in the period, the one before it, the first after
 * it), the container is built outside any write lock, and then its row is
 * inserted in the same transaction that moves the stream's cursor past the
 * period, conditional on the cursor still being there: a period is closed and
 * built once, whatever crashes or races.
 *
 * Late data: a reading ingested after its period closed is counted on the
 * container (`late_reading_count`, metric `ei_late_readings_total`), not
 * folded in. Consecutive containers are chained through their boundaries, so
 * a late reading never moves energy between anchored containers; a correction
 * (revision n + 1, `supersedes`) is an explicit operator decision.
 */
export class ContainerCloser {
  readonly #options: ContainerCloserOptions;
  readonly #datasets: readonly FactorDataset[];
  readonly #closed: Counter | undefined;
  readonly #late: Counter | undefined;
  readonly #failures: Counter | undefined;
  readonly #warned = new Set<string>();
  /** Per site, the volume of each certificate this gateway's containers have used (v3 scope2). */
  readonly #used: CertificateUseLedger;
  /** Hourly factors resolved ahead of closing, by `siteId/streamId/periodStartMs`. */
  readonly #prepared = new Map<string, HourlyFactor[]>();

  constructor(options: ContainerCloserOptions) {
    this.#options = options;
    this.#used = new CertificateUseLedger(options.db, options.containers);
    this.#datasets = options.datasets ?? loadShippedFactorDatasets();
    this.#closed = options.metrics?.counter(
      "ei_containers_closed_total",
      "Periods closed into containers, by stream.",
    );
    this.#late = options.metrics?.counter(
      "ei_late_readings_total",
      "Readings that arrived after their period was closed (recorded on the container, not folded in).",
    );
    this.#failures = options.metrics?.counter(
      "ei_container_close_failures_total",
      "Periods that could not be built.",
    );
  }

  /**
   * Resolves the live hourly factors of every period due at `nowMs` (one request per stream for
   * all its due periods), so closeDue can build them without waiting on the network. A source
   * outage is not an error here: resolveLiveHourlyFactors records it per hour and falls back to
   * the shipped factor. Only a period with no factor at all (live or shipped) fails, and is logged.
   */
  async prepareFactors(nowMs = Date.now()): Promise<void> {
    const live = this.#options.liveFactors;
    if (live === undefined) return;
    const { periodMs } = this.#options;
    const maxPeriods = this.#options.maxPeriodsPerPass ?? 16;
    for (const stream of this.#options.streamConfigs) {
      const cursor = this.#options.streams.get(stream.siteId, stream.streamId);
      if (cursor === undefined) continue;
      const periods: { key: string; hours: { startMs: number; endMs: number }[] }[] = [];
      for (let index = 0; index < maxPeriods; index += 1) {
        const startMs = cursor.nextPeriodStartMs + index * periodMs;
        if (nowMs < startMs + periodMs) break;
        const key = preparedKey(stream, startMs);
        if (this.#prepared.has(key)) continue;
        const cuts = hourCutsMs(startMs, startMs + periodMs);
        periods.push({
          key,
          hours: cuts.slice(1).map((endMs, cut) => ({ startMs: cuts[cut] ?? endMs, endMs })),
        });
      }
      if (periods.length === 0) continue;
      try {
        const resolved = await resolveLiveHourlyFactors({
          live: live.source,
          kind: live.kind,
          hours: periods.flatMap((period) => period.hours),
          shipped: {
            datasets: this.#datasets,
            region: stream.location.region,
            policy: stream.location.policy,
          },
        });
        let offset = 0;
        for (const period of periods) {
          this.#prepared.set(period.key, resolved.slice(offset, offset + period.hours.length));
          offset += period.hours.length;
        }
      } catch (error) {
        this.#failures?.inc({ stream: stream.streamId });
        this.#options.logger.error(
          { err: error, siteId: stream.siteId, streamId: stream.streamId },
          "no emission factor for a due period (live source and shipped datasets)",
        );
      }
    }
  }

  /** prepareFactors, then closeDueYielding: what the gateway's timer runs with a live source. */
  async closeDueWithFactors(nowMs = Date.now()): Promise<number> {
    await this.prepareFactors(nowMs);
    const created = await this.closeDueYielding(nowMs);
    if (this.#options.liveFactors === undefined) return created;
    // A stream's first pass only places its cursor; its periods can be prepared right away.
    await this.prepareFactors(nowMs);
    return created + (await this.closeDueYielding(nowMs));
  }

  /** Closes every period that is due at `nowMs`; returns how many containers were created. */
  closeDue(nowMs = Date.now()): number {
    let created = 0;
    for (const stream of this.#options.streamConfigs) {
      created += this.#closeStreamGuarded(stream, nowMs, this.#maxPeriodsPerPass);
    }
    return created;
  }

  /**
   * closeDue one period at a time, yielding to the event loop after each: the gateway's timer
   * runs this, since a backlog (a gateway back after downtime) builds many containers, and in one
   * synchronous pass that stalled ingest, the adapters' polls and the API for seconds.
   */
  async closeDueYielding(nowMs = Date.now()): Promise<number> {
    let created = 0;
    for (const stream of this.#options.streamConfigs) {
      for (let period = 0; period < this.#maxPeriodsPerPass; period++) {
        const one = this.#closeStreamGuarded(stream, nowMs, 1);
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (one === 0) break;
        created += one;
      }
    }
    return created;
  }

  get #maxPeriodsPerPass(): number {
    return this.#options.maxPeriodsPerPass ?? 16;
  }

  #closeStreamGuarded(stream: StreamConfig, nowMs: number, maxPeriods: number): number {
    try {
      const created = this.#closeStream(stream, nowMs, maxPeriods);
      this.#recordLate(stream);
      return created;
    } catch (error) {
      this.#failures?.inc({ stream: stream.streamId });
      this.#options.logger.error(
        { err: error, siteId: stream.siteId, streamId: stream.streamId },
        "closing failed",
      );
      return 0;
    }
  }

  #resolve(stream: StreamConfig): ResolvedChannel[] | undefined {
    const resolved: ResolvedChannel[] = [];
    for (const channel of stream.channels) {
      const deviceRef = this.#options.deviceRef(channel.deviceId);
      if (deviceRef === undefined) {
        const key = `${stream.streamId}/${channel.deviceId}`;
        if (!this.#warned.has(key)) {
          this.#warned.add(key);
          this.#options.logger.warn(
            { streamId: stream.streamId, deviceId: channel.deviceId },
            "stream device not registered; stream waits",
          );
        }
        return undefined;
      }
      resolved.push({
        deviceId: channel.deviceId,
        deviceRef,
        channel: channel.channel,
        input: {
          deviceId: channel.deviceId,
          channel: channel.channel,
          config: {
            resetThresholdMilliWattHours: channel.resetThresholdMilliWattHours,
            maxGapMs: channel.maxGapMs,
            counterModulusMilliWattHours: channel.counterModulusMilliWattHours,
            maxPowerMilliWatts: channel.maxPowerMilliWatts,
          },
          role: channel.role,
          source: channel.source,
        },
      });
    }
    return resolved;
  }

  #closeStream(stream: StreamConfig, nowMs: number, maxPeriods: number): number {
    const { periodMs, graceMs } = this.#options;
    const channels = this.#resolve(stream);
    if (channels === undefined) return 0;
    let cursor = this.#options.streams.get(stream.siteId, stream.streamId);
    if (cursor === undefined) {
      const first = this.#options.readings.firstTimestampMs(channels);
      if (first === undefined) return 0;
      this.#options.streams.start(
        stream.siteId,
        stream.streamId,
        periodMs,
        Math.floor(first / periodMs) * periodMs,
        this.#options.readings.maxReadingId(),
      );
      cursor = this.#options.streams.get(stream.siteId, stream.streamId);
      if (cursor === undefined) return 0;
    }
    let created = 0;
    while (created < maxPeriods) {
      const startMs = cursor.nextPeriodStartMs;
      const endMs = startMs + periodMs;
      if (nowMs < endMs) break;
      const startBoundaries = boundariesFromJson(cursor.endBoundaries);
      const snapshot = this.#options.readings.snapshot(() => {
        const complete = channels.every(
          (channel) =>
            this.#options.readings.firstAtOrAfter(channel.deviceRef, channel.channel, endMs) !==
            undefined,
        );
        if (!complete && nowMs < endMs + graceMs) return undefined;
        const readings: ContainerReadingInput[] = [];
        for (const channel of channels) {
          // A chained start boundary is counted from its anchor reading, which the sdk
          // needs to see; readings that arrived late since then come along and are
          // ignored by the sdk, so the chain of containers stays exact.
          const anchorMs = startBoundaries.get(`${channel.deviceId}/${channel.channel}`)?.anchor
            ?.timestampMs;
          const fromMs = anchorMs === undefined ? startMs : Math.min(anchorMs, startMs);
          const before =
            anchorMs === undefined
              ? this.#options.readings.lastBefore(channel.deviceRef, channel.channel, startMs)
              : undefined;
          const inside = this.#options.readings.inRange(
            channel.deviceRef,
            channel.channel,
            fromMs,
            endMs,
          );
          const after = this.#options.readings.firstAtOrAfter(
            channel.deviceRef,
            channel.channel,
            endMs,
          );
          for (const reading of [before, ...inside, after]) {
            if (reading !== undefined) readings.push(toInput(channel.deviceId, reading));
          }
        }
        return { readings, readingIdHigh: this.#options.readings.maxReadingId() };
      });
      if (snapshot === undefined) break;
      const key = preparedKey(stream, startMs);
      const hourlyFactors = this.#prepared.get(key);
      // With a live source configured, a period waits for its resolved factors rather than
      // closing on the shipped datasets without saying why.
      if (this.#options.liveFactors !== undefined && hourlyFactors === undefined) break;
      const build = (usedBefore?: (instrument: ContractualInstrument) => bigint) =>
        buildContainer({
          siteId: stream.siteId,
          streamId: stream.streamId,
          periodStartMs: startMs,
          periodEndMs: endMs,
          channels: channels.map((channel) => ({
            ...channel.input,
            startBoundary: startBoundaries.get(`${channel.deviceId}/${channel.channel}`),
          })),
          readings: snapshot.readings,
          siteSecret: this.#options.siteSecret,
          factors: {
            location: {
              datasets: this.#datasets,
              region: stream.location.region,
              policy: stream.location.policy,
              hourlyFactors,
            },
            market:
              stream.market === undefined
                ? undefined
                : {
                    datasets: this.#datasets,
                    region: stream.market.region,
                    policy: stream.market.policy,
                  },
            scope2: this.#scope2Inputs(stream, usedBefore),
          },
          revision: 0,
          supersedes: 0n,
          disclosure: sealedDisclosure(this.#options.sealedSites, stream.siteId),
        });
      const gate = this.#options.market?.claims;
      const instruments = this.#options.market?.instruments ?? [];
      let built;
      if (gate === undefined || instruments.length === 0) built = build();
      else {
        const claims = gate.periodClaims(stream.siteId, stream.streamId, startMs);
        if (claims.length === 0) {
          // First ask the chain what is left, then claim what the period would use of it.
          const available = instruments.map((instrument) =>
            gate.availableMilliWattHours(instrument),
          );
          if (available.some((left) => left === undefined)) break;
          const dry = build(
            (instrument) =>
              instrument.volumeMilliWattHours - (available[instruments.indexOf(instrument)] ?? 0n),
          );
          const uses = (dry.document.scope2?.instruments ?? []).map((use) => ({
            certificateId: use.certificateId,
            milliWattHours: BigInt(use.usedMilliWattHours),
          }));
          if (
            gate.queuePeriod(
              {
                siteId: stream.siteId,
                streamId: stream.streamId,
                periodStartMs: startMs,
                periodEndMs: endMs,
              },
              uses,
            ) > 0
          )
            break;
        } else if (claims.some((claim) => claim.state === "queued" || claim.state === "submitted"))
          break;
        // Only confirmed watt-hours count: a refused claim's volume is priced at the residual mix.
        const confirmed = new Map(
          claims
            .filter((claim) => claim.state === "confirmed")
            .map((claim) => [claim.certificateId, claim.wattHours * 1000n]),
        );
        built = build((instrument) => {
          const mine = confirmed.get(instrument.certificateId) ?? 0n;
          const volume = instrument.volumeMilliWattHours;
          return mine >= volume ? 0n : volume - mine;
        });
      }
      const containerId = toHex(
        computeContainerId({
          siteId: built.header.siteId,
          streamId: built.header.streamId,
          periodStart: built.header.periodStart,
          periodEnd: built.header.periodEnd,
          revision: built.header.revision,
        }),
        { size: 32 },
      );
      const endBoundaries = JSON.stringify(
        Object.fromEntries(
          built.document.channels.map((channel) => [
            `${channel.deviceId}/${channel.channel}`,
            channel.endBoundary,
          ]),
        ),
      );
      const inserted = this.#options.db
        .transaction(() => {
          if (
            !this.#options.streams.advance(
              stream.siteId,
              stream.streamId,
              startMs,
              endMs,
              endBoundaries,
            )
          )
            return false;
          this.#options.containers.insert(
            {
              containerId,
              siteId: stream.siteId,
              streamId: stream.streamId,
              periodStartMs: startMs,
              periodEndMs: endMs,
              revision: 0,
              supersedes: "0",
              cid: built.cid.toString(),
              header: JSON.stringify(containerHeaderToJson(built.header)),
              headerHash: hashContainerHeader(built.header),
              document: built.documentBytes,
              readingCount: built.document.readingCount,
              readingIdHigh: snapshot.readingIdHigh,
              energyFlags: built.document.flags.energy,
            },
            Date.now(),
          );
          return true;
        })
        .immediate();
      if (!inserted) {
        this.#options.logger.warn(
          { streamId: stream.streamId, startMs },
          "period already closed elsewhere",
        );
        break;
      }
      this.#prepared.delete(key);
      created += 1;
      this.#closed?.inc({ stream: stream.streamId });
      this.#options.logger.info(
        {
          streamId: stream.streamId,
          periodStartMs: startMs,
          cid: built.cid.toString(),
          readings: built.document.readingCount,
          flags: built.document.flags.energy,
        },
        "period closed",
      );
      const next = this.#options.streams.get(stream.siteId, stream.streamId);
      if (next === undefined) break;
      cursor = next;
    }
    return created;
  }

  /** The v3 inputs of a stream, or undefined for v1/v2 (no instruments, no generation channels). */
  #scope2Inputs(
    stream: StreamConfig,
    usedBeforeOf?: (instrument: ContractualInstrument) => bigint,
  ) {
    const market = this.#options.market;
    const generates = stream.channels.some((channel) => channel.role === "generation");
    if (market === undefined && !generates) return undefined;
    const instruments = market?.instruments ?? [];
    // The store is the ledger (containers closed since the last count are read in), so a
    // restart loses nothing and re-reads nothing.
    const used = this.#used.usedAt(stream.siteId);
    return {
      market: market?.market ?? stream.location.region,
      instruments,
      // Each certificate once, whatever the list says: the sdk rejects a second listing itself.
      usedBefore:
        usedBeforeOf === undefined
          ? [...new Set(instruments.map((instrument) => instrument.certificateId))].map(
              (certificateId) => ({
                certificateId,
                milliWattHours:
                  (used.get(certificateId) ?? 0n) +
                  (market?.claimedElsewhere?.(certificateId) ?? 0n),
              }),
            )
          : // With claims on chain, what the chain and this period's claims leave decides.
            instruments.map((instrument) => ({
              certificateId: instrument.certificateId,
              milliWattHours: usedBeforeOf(instrument),
            })),
      residualMix: {
        datasets: this.#options.residualMixDatasets ?? loadShippedResidualMixDatasets(),
        region: stream.market?.region ?? stream.location.region,
        policy: stream.market?.policy ?? stream.location.policy,
      },
    };
  }

  #recordLate(stream: StreamConfig): void {
    const cursor = this.#options.streams.get(stream.siteId, stream.streamId);
    const channels = this.#resolve(stream);
    if (cursor === undefined || channels === undefined) return;
    const maxId = this.#options.readings.maxReadingId();
    if (maxId <= cursor.lateCheckedReadingId) return;
    const late = this.#options.readings.lateReadings(
      channels,
      cursor.lateCheckedReadingId,
      cursor.nextPeriodStartMs,
    );
    let lateCount = 0;
    this.#options.db.transaction(() => {
      const byContainer = new Map<number, number>();
      for (const reading of late) {
        const startMs =
          Math.floor(reading.timestampMs / this.#options.periodMs) * this.#options.periodMs;
        const container = this.#options.containers.list({
          siteId: stream.siteId,
          streamId: stream.streamId,
          periodStartMs: startMs,
          limit: 1,
        })[0];
        // A reading the container's snapshot already held is not late, only one ingested after it.
        if (container !== undefined && reading.id <= container.readingIdHigh) continue;
        lateCount += 1;
        if (container !== undefined)
          byContainer.set(
            container.containerRef,
            (byContainer.get(container.containerRef) ?? 0) + 1,
          );
      }
      for (const [containerRef, count] of byContainer)
        this.#options.containers.addLateReadings(containerRef, count);
      this.#options.streams.setLateChecked(stream.siteId, stream.streamId, maxId);
    })();
    if (lateCount > 0) {
      this.#late?.inc({ stream: stream.streamId }, lateCount);
      this.#options.logger.warn(
        { streamId: stream.streamId, late: lateCount },
        "late readings for closed periods recorded",
      );
    }
  }
}
