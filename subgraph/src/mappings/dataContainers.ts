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

/**
 * The figures of one anchoring batch, summed per site day and per machine or device day before
 * they are written: a batch is one site and a few streams, so each aggregate is loaded and saved
 * once per batch instead of once per container.
 */
class BatchAggregates {
  siteDays: Map<string, SiteDailyEnergy> = new Map<string, SiteDailyEnergy>();
  machineDays: Map<string, MachineDailyEnergy> = new Map<string, MachineDailyEnergy>();
  deviceDays: Map<string, DeviceDailyEnergy> = new Map<string, DeviceDailyEnergy>();
  // Whether a stream id is a registered machine / device, looked up once per stream.
  isMachine: Map<string, bool> = new Map<string, bool>();
  isDevice: Map<string, bool> = new Map<string, bool>();
  // Streams created or found in this batch.
  streams: Map<string, bool> = new Map<string, bool>();
  site: Site | null = null;

  loadSite(id: string): void {
    if (this.site == null) this.site = Site.load(id);
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
    const negate = sign < 0;
    const imported = negate
      ? container.energyImportedMilliWattHours.neg()
      : container.energyImportedMilliWattHours;
    const exported = negate
      ? container.energyExportedMilliWattHours.neg()
      : container.energyExportedMilliWattHours;
    const location = negate
      ? container.emissionsLocationMilligramsCo2e.neg()
      : container.emissionsLocationMilligramsCo2e;
    const market = negate
      ? container.emissionsMarketMilligramsCo2e.neg()
      : container.emissionsMarketMilligramsCo2e;
    const dayKey = container.day.toString();

    this.loadSite(container.site);
    // The contract anchors only for registered sites, so the site exists.
    const site = this.site;
    if (site != null) {
      site.energyImportedMilliWattHours = site.energyImportedMilliWattHours.plus(imported);
      site.energyExportedMilliWattHours = site.energyExportedMilliWattHours.plus(exported);
      site.emissionsLocationMilligramsCo2e = site.emissionsLocationMilligramsCo2e.plus(location);
      site.emissionsMarketMilligramsCo2e = site.emissionsMarketMilligramsCo2e.plus(market);
      site.containerCount = site.containerCount + sign;
    }

    if (!this.siteDays.has(dayKey)) {
      this.siteDays.set(dayKey, createOrLoadSiteDay(container.site, container.day));
    }
    const siteDay = this.siteDays.get(dayKey);
    siteDay.energyImportedMilliWattHours = siteDay.energyImportedMilliWattHours.plus(imported);
    siteDay.energyExportedMilliWattHours = siteDay.energyExportedMilliWattHours.plus(exported);
    siteDay.emissionsLocationMilligramsCo2e =
      siteDay.emissionsLocationMilligramsCo2e.plus(location);
    siteDay.emissionsMarketMilligramsCo2e = siteDay.emissionsMarketMilligramsCo2e.plus(market);
    siteDay.containerCount = siteDay.containerCount + sign;

    const key = streamId + "-" + dayKey;
    if (this.machineKnown(streamId)) {
      if (!this.machineDays.has(key)) {
        this.machineDays.set(key, createOrLoadMachineDay(streamId, container.site, container.day));
      }
      const day = this.machineDays.get(key);
      day.energyImportedMilliWattHours = day.energyImportedMilliWattHours.plus(imported);
      day.energyExportedMilliWattHours = day.energyExportedMilliWattHours.plus(exported);
      day.emissionsLocationMilligramsCo2e = day.emissionsLocationMilligramsCo2e.plus(location);
      day.emissionsMarketMilligramsCo2e = day.emissionsMarketMilligramsCo2e.plus(market);
      day.containerCount = day.containerCount + sign;
    }
    if (this.deviceKnown(streamId)) {
      if (!this.deviceDays.has(key)) {
        this.deviceDays.set(key, createOrLoadDeviceDay(streamId, container.site, container.day));
      }
      const day = this.deviceDays.get(key);
      day.energyImportedMilliWattHours = day.energyImportedMilliWattHours.plus(imported);
      day.energyExportedMilliWattHours = day.energyExportedMilliWattHours.plus(exported);
      day.emissionsLocationMilligramsCo2e = day.emissionsLocationMilligramsCo2e.plus(location);
      day.emissionsMarketMilligramsCo2e = day.emissionsMarketMilligramsCo2e.plus(market);
      day.containerCount = day.containerCount + sign;
    }
  }

  save(): void {
    const site = this.site;
    if (site != null) site.save();
    const siteDays = this.siteDays.values();
    for (let i = 0; i < siteDays.length; i++) siteDays[i].save();
    const machineDays = this.machineDays.values();
    for (let i = 0; i < machineDays.length; i++) machineDays[i].save();
    const deviceDays = this.deviceDays.values();
    for (let i = 0; i < deviceDays.length; i++) deviceDays[i].save();
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
  const streamHex = header.streamId.toHexString();
  const machine = aggregates.machineKnown(streamHex) ? streamHex : null;
  const device = aggregates.deviceKnown(streamHex) ? streamHex : null;
  const streamKey = header.siteId.toHexString() + "-" + streamHex;
  if (!aggregates.streams.has(streamKey)) {
    createOrLoadStream(header.siteId, header.streamId, machine, device);
    aggregates.streams.set(streamKey, true);
  }

  const container = new Container(id);
  container.site = header.siteId.toHexString();
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
  aggregates.loadSite(header.siteId.toHexString());
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
