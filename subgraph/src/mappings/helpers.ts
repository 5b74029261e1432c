// Shared by every mapping: entity ids and the createOrLoad helpers, so that each entity is created
// with all its required fields in one place (graph-node rejects a save with a required field unset).
import { BigInt, Bytes, ByteArray, crypto, ethereum } from "@graphprotocol/graph-ts";
import {
  ContractSetting,
  DeviceDailyEnergy,
  MachineDailyEnergy,
  Site,
  SiteDailyEnergy,
  Stream,
} from "../../generated/schema";

export const SECONDS_PER_DAY: i64 = 86400;
export const ZERO = BigInt.zero();

/** "<a>-<b>": the id of an entity keyed by two things. */
export function pairId(a: string, b: string): string {
  return a + "-" + b;
}

/** "<transaction hash>-<log index>": the id of a one-per-event record. */
export function eventId(event: ethereum.Event): string {
  return event.transaction.hash.toHexString() + "-" + event.logIndex.toString();
}

/** UTC day number (days since 1970-01-01) of a Unix time in seconds. */
export function dayOf(timeSeconds: BigInt): i32 {
  return <i32>(timeSeconds.toI64() / SECONDS_PER_DAY);
}

/** Writes `value` as a 32-byte big-endian word at `offset` (uint up to 256 bits). */
function putWord(target: Uint8Array, offset: i32, value: Uint8Array, bigEndian: bool): void {
  const length = value.length;
  for (let i = 0; i < length && i < 32; i++) {
    // BigInt bytes are little-endian; fixed bytes (bytes32) are already big-endian.
    target[offset + (bigEndian ? i : 31 - i)] = value[i];
  }
}

/**
 * The container token id, as DataContainers computes it:
 * uint256(keccak256(abi.encode(siteId, streamId, periodStart, periodEnd, revision))), in decimal.
 */
export function containerId(
  siteId: Bytes,
  streamId: Bytes,
  periodStart: BigInt,
  periodEnd: BigInt,
  revision: i32,
): string {
  const words = new Uint8Array(160);
  putWord(words, 0, siteId, true);
  putWord(words, 32, streamId, true);
  putWord(words, 64, periodStart, false);
  putWord(words, 96, periodEnd, false);
  putWord(words, 128, BigInt.fromI32(revision), false);
  const hash = crypto.keccak256(changetype<ByteArray>(words));
  // The hash is big-endian; BigInt.fromUnsignedBytes reads little-endian.
  const reversed = new Uint8Array(32);
  for (let i = 0; i < 32; i++) reversed[i] = hash[31 - i];
  return BigInt.fromUnsignedBytes(changetype<Bytes>(reversed)).toString();
}

/** A site seen before its SiteRegistered (cannot happen on these contracts) still gets valid fields. */
export function createOrLoadSite(siteId: Bytes, event: ethereum.Event): Site {
  const id = siteId.toHexString();
  let site = Site.load(id);
  if (site == null) {
    site = new Site(id);
    site.name = "";
    site.owner = Bytes.empty();
    site.manager = Bytes.empty();
    site.registeredAtBlock = event.block.number;
    site.registeredAtTimestamp = event.block.timestamp;
    site.energyImportedMilliWattHours = ZERO;
    site.energyExportedMilliWattHours = ZERO;
    site.emissionsLocationMilligramsCo2e = ZERO;
    site.emissionsMarketMilligramsCo2e = ZERO;
    site.containerCount = 0;
  }
  return site;
}

/** The stream of a site, linked to the machine or device whose id it carries, if any. */
export function createOrLoadStream(
  siteId: Bytes,
  streamId: Bytes,
  machine: string | null,
  device: string | null,
): Stream {
  const id = pairId(siteId.toHexString(), streamId.toHexString());
  let stream = Stream.load(id);
  if (stream == null) {
    stream = new Stream(id);
    stream.site = siteId.toHexString();
    stream.streamId = streamId;
    stream.machine = machine;
    stream.device = device;
    stream.save();
  }
  return stream;
}

export function createOrLoadSiteDay(site: string, day: i32): SiteDailyEnergy {
  const id = pairId(site, day.toString());
  let entity = SiteDailyEnergy.load(id);
  if (entity == null) {
    entity = new SiteDailyEnergy(id);
    entity.site = site;
    entity.day = day;
    entity.dayStart = BigInt.fromI64(<i64>day * SECONDS_PER_DAY);
    entity.energyImportedMilliWattHours = ZERO;
    entity.energyExportedMilliWattHours = ZERO;
    entity.emissionsLocationMilligramsCo2e = ZERO;
    entity.emissionsMarketMilligramsCo2e = ZERO;
    entity.containerCount = 0;
  }
  return entity;
}

export function createOrLoadMachineDay(
  machine: string,
  site: string,
  day: i32,
): MachineDailyEnergy {
  const id = pairId(machine, day.toString());
  let entity = MachineDailyEnergy.load(id);
  if (entity == null) {
    entity = new MachineDailyEnergy(id);
    entity.machine = machine;
    entity.site = site;
    entity.day = day;
    entity.dayStart = BigInt.fromI64(<i64>day * SECONDS_PER_DAY);
    entity.energyImportedMilliWattHours = ZERO;
    entity.energyExportedMilliWattHours = ZERO;
    entity.emissionsLocationMilligramsCo2e = ZERO;
    entity.emissionsMarketMilligramsCo2e = ZERO;
    entity.containerCount = 0;
  }
  return entity;
}

export function createOrLoadDeviceDay(device: string, site: string, day: i32): DeviceDailyEnergy {
  const id = pairId(device, day.toString());
  let entity = DeviceDailyEnergy.load(id);
  if (entity == null) {
    entity = new DeviceDailyEnergy(id);
    entity.device = device;
    entity.site = site;
    entity.day = day;
    entity.dayStart = BigInt.fromI64(<i64>day * SECONDS_PER_DAY);
    entity.energyImportedMilliWattHours = ZERO;
    entity.energyExportedMilliWattHours = ZERO;
    entity.emissionsLocationMilligramsCo2e = ZERO;
    entity.emissionsMarketMilligramsCo2e = ZERO;
    entity.containerCount = 0;
  }
  return entity;
}

/** Records the latest value of a contract setting (base URI, clock rules). */
export function saveSetting(event: ethereum.Event, name: string, value: string): void {
  const id = pairId(event.address.toHexString(), name);
  let setting = ContractSetting.load(id);
  if (setting == null) {
    setting = new ContractSetting(id);
    setting.contract = event.address;
    setting.name = name;
  }
  setting.value = value;
  setting.updatedAtBlock = event.block.number;
  setting.save();
}
