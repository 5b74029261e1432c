// DataContainers: containers (with correction links), their streams, the site/machine/device daily
// aggregates, container token owners and the base URI.
import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";
import {
  BaseUriSet,
  ContainerSuperseded,
  ContainersAnchored,
  ContainersAnchoredHeadersStruct,
  TransferBatch,
  TransferSingle,
} from "../../generated/DataContainers/DataContainers";
import {
  Container,
  Device,
  DeviceDailyEnergy,
  Machine,
  MachineDailyEnergy,
  Site,
  SiteDailyEnergy,
} from "../../generated/schema";
import {
  containerId,
  createOrLoadDeviceDay,
  createOrLoadMachineDay,
  createOrLoadSiteDay,
  createOrLoadStream,
  dayOf,
  saveSetting,
} from "./helpers";

// A running sum stays an i64 below this, so adding one more small addend (< 2^55) cannot overflow.
const SUM_LIMIT: i64 = (1 as i64) << 61;

/** The value of a BigInt of at most 7 bytes (two's complement, little endian): |value| < 2^55. */
function smallValue(value: BigInt): i64 {
  const length = value.length;
  let result: i64 = 0;
  for (let i = length - 1; i >= 0; i--) result = (result << 8) | (value[i] as i64);
  if (length > 0 && (value[length - 1] & 0x80) != 0) result -= (1 as i64) << ((length * 8) as i64);
  return result;
}

/**
 * A BigInt sum kept as a base plus an i64 delta while the addends are small: `BigInt.plus` is a
 * call into the host (two reads and a write), a dozen per container before. The sum is the same
 * integer as adding each value in turn, so the saved BigInt is the same.
 */
class Sum {
  base: BigInt;
  delta: i64 = 0;

  constructor(base: BigInt) {
    this.base = base;
  }

  add(value: BigInt, negate: bool): void {
    if (value.length > 7) {
      this.base = negate ? this.base.minus(value) : this.base.plus(value);
      return;
    }
    const small = smallValue(value);
    this.delta += negate ? -small : small;
    if (this.delta >= SUM_LIMIT || this.delta <= -SUM_LIMIT) this.flush();
  }

  flush(): void {
    if (this.delta == 0) return;
    this.base = this.base.plus(BigInt.fromI64(this.delta));
    this.delta = 0;
  }

  value(): BigInt {
    this.flush();
    return this.base;
  }
}

/** The four figures and the container count of one aggregate, summed over a batch. */
class Figures {
  imported: Sum;
  exported: Sum;
  location: Sum;
  market: Sum;
  count: i32 = 0;

  constructor(imported: BigInt, exported: BigInt, location: BigInt, market: BigInt) {
    this.imported = new Sum(imported);
    this.exported = new Sum(exported);
    this.location = new Sum(location);
    this.market = new Sum(market);
  }

  add(values: ContainerFigures, sign: i32): void {
    const negate = sign < 0;
    this.imported.add(values.imported, negate);
    this.exported.add(values.exported, negate);
    this.location.add(values.location, negate);
    this.market.add(values.market, negate);
    this.count += sign;
  }
}

/** A container's figures, read from the entity once per apply. */
class ContainerFigures {
  imported: BigInt;
  exported: BigInt;
  location: BigInt;
  market: BigInt;

  constructor(container: Container) {
    this.imported = container.energyImportedMilliWattHours;
    this.exported = container.energyExportedMilliWattHours;
    this.location = container.emissionsLocationMilligramsCo2e;
    this.market = container.emissionsMarketMilligramsCo2e;
  }
}

/**
 * The running sums of an aggregate entity (Site, SiteDailyEnergy, MachineDailyEnergy or
 * DeviceDailyEnergy). The generated entity classes share no base type with these fields, so this is
 * generic: AssemblyScript compiles one copy per entity class, with direct field accesses.
 */
function figuresOf<T>(entity: T): Figures {
  return new Figures(
    entity.energyImportedMilliWattHours,
    entity.energyExportedMilliWattHours,
    entity.emissionsLocationMilligramsCo2e,
    entity.emissionsMarketMilligramsCo2e,
  );
}

/** Writes a batch's sums into the aggregate entity they were read from, and saves it. */
function saveFigures<T>(entity: T, sums: Figures): void {
  entity.energyImportedMilliWattHours = sums.imported.value();
  entity.energyExportedMilliWattHours = sums.exported.value();
  entity.emissionsLocationMilligramsCo2e = sums.location.value();
  entity.emissionsMarketMilligramsCo2e = sums.market.value();
  entity.containerCount = entity.containerCount + sums.count;
  entity.save();
}

/** saveFigures for every aggregate of a batch's map, in the order they were first met. */
function saveAllFigures<T>(entities: Map<string, T>, sums: Map<string, Figures>): void {
  const keys = entities.keys();
  for (let i = 0; i < keys.length; i++) saveFigures<T>(entities.get(keys[i]), sums.get(keys[i]));
}

/**
 * The figures of one anchoring batch, summed per site day and per machine or device day before
 * they are written: a batch is one site and a few streams, so each aggregate is loaded and saved
 * once per batch instead of once per container, and its sums are added up in the mapping (Sum).
 */
class BatchAggregates {
  siteDays: Map<string, SiteDailyEnergy> = new Map<string, SiteDailyEnergy>();
  siteDaySums: Map<string, Figures> = new Map<string, Figures>();
  machineDays: Map<string, MachineDailyEnergy> = new Map<string, MachineDailyEnergy>();
  machineDaySums: Map<string, Figures> = new Map<string, Figures>();
  deviceDays: Map<string, DeviceDailyEnergy> = new Map<string, DeviceDailyEnergy>();
  deviceDaySums: Map<string, Figures> = new Map<string, Figures>();
  // Whether a stream id is a registered machine / device, looked up once per stream.
  isMachine: Map<string, bool> = new Map<string, bool>();
  isDevice: Map<string, bool> = new Map<string, bool>();
  // Streams created or found in this batch.
  streams: Map<string, bool> = new Map<string, bool>();
  site: Site | null = null;
  siteSums: Figures | null = null;

  loadSite(id: string): void {
    if (this.site == null) {
      const site = Site.load(id);
      this.site = site;
      if (site != null) this.siteSums = figuresOf<Site>(site);
    }
  }

  machineKnown(id: string): bool {
    if (!this.isMachine.has(id)) this.isMachine.set(id, Machine.load(id) != null);
    return this.isMachine.get(id);
  }

  deviceKnown(id: string): bool {
    if (!this.isDevice.has(id)) this.isDevice.set(id, Device.load(id) != null);
    return this.isDevice.get(id);
  }

  /**
   * Adds (sign 1) or removes (sign -1) a container's figures to its site, its day, and the day of
   * the machine or device its stream names. A correction removes the revision it supersedes, so
   * every aggregate counts each period once, with its latest revision.
   */
  apply(container: Container, streamId: string, sign: i32): void {
    const values = new ContainerFigures(container);
    const dayKey = container.day.toString();

    this.loadSite(container.site);
    // The contract anchors only for registered sites, so the site exists.
    const siteSums = this.siteSums;
    if (siteSums != null) siteSums.add(values, sign);

    if (!this.siteDays.has(dayKey)) {
      const entity = createOrLoadSiteDay(container.site, container.day);
      this.siteDays.set(dayKey, entity);
      this.siteDaySums.set(dayKey, figuresOf<SiteDailyEnergy>(entity));
    }
    this.siteDaySums.get(dayKey).add(values, sign);

    const key = streamId + "-" + dayKey;
    if (this.machineKnown(streamId)) {
      if (!this.machineDays.has(key)) {
        const entity = createOrLoadMachineDay(streamId, container.site, container.day);
        this.machineDays.set(key, entity);
        this.machineDaySums.set(key, figuresOf<MachineDailyEnergy>(entity));
      }
      this.machineDaySums.get(key).add(values, sign);
    }
    if (this.deviceKnown(streamId)) {
      if (!this.deviceDays.has(key)) {
        const entity = createOrLoadDeviceDay(streamId, container.site, container.day);
        this.deviceDays.set(key, entity);
        this.deviceDaySums.set(key, figuresOf<DeviceDailyEnergy>(entity));
      }
      this.deviceDaySums.get(key).add(values, sign);
    }
  }

  save(): void {
    const site = this.site;
    const siteSums = this.siteSums;
    if (site != null && siteSums != null) saveFigures<Site>(site, siteSums);
    saveAllFigures<SiteDailyEnergy>(this.siteDays, this.siteDaySums);
    saveAllFigures<MachineDailyEnergy>(this.machineDays, this.machineDaySums);
    saveAllFigures<DeviceDailyEnergy>(this.deviceDays, this.deviceDaySums);
  }
}

function saveContainer(
  event: ContainersAnchored,
  header: ContainersAnchoredHeadersStruct,
  aggregates: BatchAggregates,
): void {
  const revision = header.revision.toI32();
  const id = containerId(
    header.siteId,
    header.streamId,
    header.periodStart,
    header.periodEnd,
    revision,
  );
  // Each toHexString is a call into the host: once per container and id.
  const siteHex = header.siteId.toHexString();
  const streamHex = header.streamId.toHexString();
  const machine = aggregates.machineKnown(streamHex) ? streamHex : null;
  const device = aggregates.deviceKnown(streamHex) ? streamHex : null;
  const streamKey = siteHex + "-" + streamHex;
  if (!aggregates.streams.has(streamKey)) {
    createOrLoadStream(header.siteId, header.streamId, machine, device);
    aggregates.streams.set(streamKey, true);
  }

  const container = new Container(id);
  container.site = siteHex;
  container.stream = streamKey;
  container.periodStart = header.periodStart;
  container.periodEnd = header.periodEnd;
  container.merkleRoot = header.merkleRoot;
  container.cid = header.cid;
  container.readingCount = header.readingCount.toI32();
  container.energyImportedMilliWattHours = header.energyImportedMilliWattHours;
  container.energyExportedMilliWattHours = header.energyExportedMilliWattHours;
  container.emissionsLocationMilligramsCo2e = header.emissionsLocationMilligramsCo2e;
  container.emissionsMarketMilligramsCo2e = header.emissionsMarketMilligramsCo2e;
  container.factorRef = header.factorRef;
  container.revision = revision;
  container.supersedes = revision == 0 ? null : header.supersedes.toString();
  container.supersededBy = null;
  container.current = true;
  container.signer = event.params.signer;
  // The batch's tokens are minted to the site owner in the same transaction (TransferBatch after
  // this event): set the holder here so the mint needs no second load and save of each container.
  aggregates.loadSite(siteHex);
  const site = aggregates.site;
  container.owner = site != null ? site.owner : null;
  container.day = dayOf(header.periodStart);
  container.anchoredAtBlock = event.block.number;
  container.anchoredAtTimestamp = event.block.timestamp;
  container.transactionHash = event.transaction.hash;
  container.save();

  if (revision != 0) {
    const previous = Container.load(header.supersedes.toString());
    if (previous != null) {
      aggregates.apply(previous, streamHex, -1);
      // ContainerSuperseded (logged earlier in the same transaction) set the link; make sure of it.
      previous.supersededBy = id;
      previous.current = false;
      previous.save();
    }
  }
  aggregates.apply(container, streamHex, 1);
}

export function handleContainersAnchored(event: ContainersAnchored): void {
  const headers = event.params.headers;
  const aggregates = new BatchAggregates();
  for (let i = 0; i < headers.length; i++) {
    saveContainer(event, headers[i], aggregates);
  }
  aggregates.save();
}

export function handleContainerSuperseded(event: ContainerSuperseded): void {
  const previous = Container.load(event.params.id.toString());
  if (previous == null) return;
  previous.supersededBy = event.params.byId.toString();
  previous.current = false;
  previous.save();
}

function setOwner(id: BigInt, from: Address, to: Address): void {
  // A mint's holder was set when the container was anchored.
  if (from.equals(Address.zero())) return;
  const container = Container.load(id.toString());
  if (container == null) return;
  // A container token has a supply of one: its holder is the last receiver (none after a burn).
  container.owner = to.equals(Address.zero()) ? null : changetype<Bytes>(to);
  container.save();
}

export function handleTransferSingle(event: TransferSingle): void {
  setOwner(event.params.id, event.params.from, event.params.to);
}

export function handleTransferBatch(event: TransferBatch): void {
  const ids = event.params.ids;
  for (let i = 0; i < ids.length; i++) setOwner(ids[i], event.params.from, event.params.to);
}

export function handleBaseUriSet(event: BaseUriSet): void {
  saveSetting(event, "baseUri", event.params.uri);
}
