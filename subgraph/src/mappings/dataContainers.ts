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
import { Container, Device, Machine, Site } from "../../generated/schema";
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
 * Adds (sign 1) or removes (sign -1) a container's figures to its site, its day, and the day of the
 * machine or device its stream names. A correction removes the revision it supersedes, so every
 * aggregate counts each period once, with its latest revision.
 */
function applyToAggregates(container: Container, sign: i32): void {
  const imported = container.energyImportedMilliWattHours.times(BigInt.fromI32(sign));
  const exported = container.energyExportedMilliWattHours.times(BigInt.fromI32(sign));
  const location = container.emissionsLocationMilligramsCo2e.times(BigInt.fromI32(sign));
  const market = container.emissionsMarketMilligramsCo2e.times(BigInt.fromI32(sign));

  // The contract anchors only for registered sites, so the site exists.
  const site = Site.load(container.site);
  if (site != null) {
    site.energyImportedMilliWattHours = site.energyImportedMilliWattHours.plus(imported);
    site.energyExportedMilliWattHours = site.energyExportedMilliWattHours.plus(exported);
    site.emissionsLocationMilligramsCo2e = site.emissionsLocationMilligramsCo2e.plus(location);
    site.emissionsMarketMilligramsCo2e = site.emissionsMarketMilligramsCo2e.plus(market);
    site.containerCount = site.containerCount + sign;
    site.save();
  }

  const siteDay = createOrLoadSiteDay(container.site, container.day);
  siteDay.energyImportedMilliWattHours = siteDay.energyImportedMilliWattHours.plus(imported);
  siteDay.energyExportedMilliWattHours = siteDay.energyExportedMilliWattHours.plus(exported);
  siteDay.emissionsLocationMilligramsCo2e = siteDay.emissionsLocationMilligramsCo2e.plus(location);
  siteDay.emissionsMarketMilligramsCo2e = siteDay.emissionsMarketMilligramsCo2e.plus(market);
  siteDay.containerCount = siteDay.containerCount + sign;
  siteDay.save();

  const streamId = container.stream.split("-")[1];
  if (Machine.load(streamId) != null) {
    const day = createOrLoadMachineDay(streamId, container.site, container.day);
    day.energyImportedMilliWattHours = day.energyImportedMilliWattHours.plus(imported);
    day.energyExportedMilliWattHours = day.energyExportedMilliWattHours.plus(exported);
    day.emissionsLocationMilligramsCo2e = day.emissionsLocationMilligramsCo2e.plus(location);
    day.emissionsMarketMilligramsCo2e = day.emissionsMarketMilligramsCo2e.plus(market);
    day.containerCount = day.containerCount + sign;
    day.save();
  }
  if (Device.load(streamId) != null) {
    const day = createOrLoadDeviceDay(streamId, container.site, container.day);
    day.energyImportedMilliWattHours = day.energyImportedMilliWattHours.plus(imported);
    day.energyExportedMilliWattHours = day.energyExportedMilliWattHours.plus(exported);
    day.emissionsLocationMilligramsCo2e = day.emissionsLocationMilligramsCo2e.plus(location);
    day.emissionsMarketMilligramsCo2e = day.emissionsMarketMilligramsCo2e.plus(market);
    day.containerCount = day.containerCount + sign;
    day.save();
  }
}

function saveContainer(event: ContainersAnchored, header: ContainersAnchoredHeadersStruct): void {
  const revision = header.revision.toI32();
  const id = containerId(
    header.siteId,
    header.streamId,
    header.periodStart,
    header.periodEnd,
    revision,
  );
  const streamHex = header.streamId.toHexString();
  const machine = Machine.load(streamHex) != null ? streamHex : null;
  const device = Device.load(streamHex) != null ? streamHex : null;
  const stream = createOrLoadStream(header.siteId, header.streamId, machine, device);

  const container = new Container(id);
  container.site = header.siteId.toHexString();
  container.stream = stream.id;
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
  container.owner = null;
  container.day = dayOf(header.periodStart);
  container.anchoredAtBlock = event.block.number;
  container.anchoredAtTimestamp = event.block.timestamp;
  container.transactionHash = event.transaction.hash;
  container.save();

  if (revision != 0) {
    const previous = Container.load(header.supersedes.toString());
    if (previous != null) {
      applyToAggregates(previous, -1);
      // ContainerSuperseded (logged earlier in the same transaction) set the link; make sure of it.
      previous.supersededBy = id;
      previous.current = false;
      previous.save();
    }
  }
  applyToAggregates(container, 1);
}

export function handleContainersAnchored(event: ContainersAnchored): void {
  const headers = event.params.headers;
  for (let i = 0; i < headers.length; i++) {
    saveContainer(event, headers[i]);
  }
}

export function handleContainerSuperseded(event: ContainerSuperseded): void {
  const previous = Container.load(event.params.id.toString());
  if (previous == null) return;
  previous.supersededBy = event.params.byId.toString();
  previous.current = false;
  previous.save();
}

function setOwner(id: BigInt, to: Address): void {
  const container = Container.load(id.toString());
  if (container == null) return;
  // A container token has a supply of one: its holder is the last receiver (none after a burn).
  container.owner = to.equals(Address.zero()) ? null : changetype<Bytes>(to);
  container.save();
}

export function handleTransferSingle(event: TransferSingle): void {
  setOwner(event.params.id, event.params.to);
}

export function handleTransferBatch(event: TransferBatch): void {
  const ids = event.params.ids;
  for (let i = 0; i < ids.length; i++) setOwner(ids[i], event.params.to);
}

export function handleBaseUriSet(event: BaseUriSet): void {
  saveSetting(event, "baseUri", event.params.uri);
}
