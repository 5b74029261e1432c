// EnergyRegistry: sites, machines, devices and their keys, products, oracle terms, role members.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import {
  DeviceKeyActivated,
  DeviceKeyRevoked,
  DeviceRegistered,
  MachineRegistered,
  OracleAuthorized,
  OracleDeauthorized,
  ProductRegistered,
  RoleGranted,
  RoleRevoked,
  SiteOwnerChanged,
  SiteRegistered,
} from "../../generated/EnergyRegistry/EnergyRegistry";
import { Device, DeviceKey, Machine, Oracle, Product, RoleMember } from "../../generated/schema";
import { createOrLoadSite, pairId } from "./helpers";

export function handleSiteRegistered(event: SiteRegistered): void {
  const site = createOrLoadSite(event.params.siteId, event);
  site.name = event.params.name;
  site.owner = event.params.owner;
  site.manager = event.params.manager;
  site.registeredAtBlock = event.block.number;
  site.registeredAtTimestamp = event.block.timestamp;
  site.save();
}

export function handleSiteOwnerChanged(event: SiteOwnerChanged): void {
  const site = createOrLoadSite(event.params.siteId, event);
  site.owner = event.params.newOwner;
  site.save();
}

export function handleMachineRegistered(event: MachineRegistered): void {
  const machine = new Machine(event.params.machineId.toHexString());
  machine.site = event.params.siteId.toHexString();
  machine.name = event.params.name;
  machine.registeredAtBlock = event.block.number;
  machine.save();
}

function createOrLoadDeviceKey(deviceId: Bytes, keyHash: Bytes, fromBlock: BigInt): DeviceKey {
  const id = pairId(deviceId.toHexString(), keyHash.toHexString());
  let key = DeviceKey.load(id);
  if (key == null) {
    key = new DeviceKey(id);
    key.device = deviceId.toHexString();
    key.keyHash = keyHash;
  }
  key.fromBlock = fromBlock;
  return key;
}

export function handleDeviceRegistered(event: DeviceRegistered): void {
  const device = new Device(event.params.deviceId.toHexString());
  device.site = event.params.siteId.toHexString();
  // A zero machine id means a device not attached to a machine (a site meter).
  device.machine = event.params.machineId.equals(Bytes.fromHexString("0x" + "00".repeat(32)))
    ? null
    : event.params.machineId.toHexString();
  device.kind = event.params.kind;
  device.currentKeyHash = event.params.keyHash;
  device.registeredAtBlock = event.block.number;
  device.save();
  const key = createOrLoadDeviceKey(
    event.params.deviceId,
    event.params.keyHash,
    event.params.fromBlock,
  );
  key.untilBlock = null;
  key.save();
}

export function handleDeviceKeyActivated(event: DeviceKeyActivated): void {
  const key = createOrLoadDeviceKey(
    event.params.deviceId,
    event.params.keyHash,
    event.params.fromBlock,
  );
  key.untilBlock = null;
  key.save();
  const device = Device.load(event.params.deviceId.toHexString());
  if (device != null) {
    device.currentKeyHash = event.params.keyHash;
    device.save();
  }
}

export function handleDeviceKeyRevoked(event: DeviceKeyRevoked): void {
  const id = pairId(event.params.deviceId.toHexString(), event.params.keyHash.toHexString());
  const key = DeviceKey.load(id);
  if (key != null) {
    key.untilBlock = event.params.untilBlock;
    key.save();
  }
  const device = Device.load(event.params.deviceId.toHexString());
  if (device != null) {
    const current = device.currentKeyHash;
    // `!= null` on a nullable Bytes goes through its `==` overload and crashes AssemblyScript 0.19.
    if (current) {
      if (current.equals(event.params.keyHash)) {
        device.currentKeyHash = null;
        device.save();
      }
    }
  }
}

export function handleProductRegistered(event: ProductRegistered): void {
  const product = new Product(
    pairId(event.params.siteId.toHexString(), event.params.productId.toHexString()),
  );
  product.site = event.params.siteId.toHexString();
  product.productId = event.params.productId;
  product.sku = event.params.sku;
  product.name = event.params.name;
  product.cpcCode = event.params.cpcCode;
  product.declaredUnit = event.params.declaredUnit;
  product.unitaryProductAmountMicros = event.params.unitaryProductAmountMicros;
  product.massPerDeclaredUnitMilligrams = event.params.massPerDeclaredUnitMilligrams;
  product.save();
}

export function handleOracleAuthorized(event: OracleAuthorized): void {
  const id = pairId(event.params.siteId.toHexString(), event.params.oracle.toHexString());
  let oracle = Oracle.load(id);
  if (oracle == null) {
    oracle = new Oracle(id);
    oracle.site = event.params.siteId.toHexString();
    oracle.address = event.params.oracle;
  }
  oracle.fromBlock = event.params.fromBlock;
  oracle.untilBlock = null;
  oracle.active = true;
  oracle.save();
}

export function handleOracleDeauthorized(event: OracleDeauthorized): void {
  const id = pairId(event.params.siteId.toHexString(), event.params.oracle.toHexString());
  const oracle = Oracle.load(id);
  if (oracle == null) return;
  oracle.untilBlock = event.params.untilBlock;
  oracle.active = false;
  oracle.save();
}

function saveRoleMember(
  role: Bytes,
  account: Bytes,
  active: bool,
  sender: Bytes,
  block: BigInt,
): void {
  const id = pairId(role.toHexString(), account.toHexString());
  let member = RoleMember.load(id);
  if (member == null) {
    member = new RoleMember(id);
    member.role = role;
    member.account = account;
  }
  member.active = active;
  member.grantedBy = active ? sender : member.grantedBy;
  member.updatedAtBlock = block;
  member.save();
}

export function handleRoleGranted(event: RoleGranted): void {
  saveRoleMember(
    event.params.role,
    event.params.account,
    true,
    event.params.sender,
    event.block.number,
  );
}

export function handleRoleRevoked(event: RoleRevoked): void {
  saveRoleMember(
    event.params.role,
    event.params.account,
    false,
    event.params.sender,
    event.block.number,
  );
}
