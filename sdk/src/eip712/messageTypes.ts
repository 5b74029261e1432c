import type { Address, Hex } from "viem";
import type { containerBatchTypes, footprintTypes, jobStampTypes } from "./types.ts";

/**
 * TypeScript shapes of the EIP-712 messages in types.ts. Integers of up to 48
 * bits are `number`, wider ones `bigint`, as viem maps them; at run time both
 * are accepted and range-checked. `bytes` fields (the CIDs) are 0x-hex of the
 * binary CID (cidToHex).
 */

/** The EIP-712 domain every Energy-Intelligence signature is made under. */
export interface Eip712Domain {
  name: "Energy-Intelligence";
  version: "1";
  chainId: number;
  verifyingContract: Address;
}

export interface ContainerHeader {
  siteId: Hex;
  streamId: Hex;
  /** Unix seconds, inclusive. */
  periodStart: bigint;
  /** Unix seconds, exclusive. */
  periodEnd: bigint;
  merkleRoot: Hex;
  /** Binary CID of the container document, as hex. */
  cid: Hex;
  readingCount: number;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
  factorRef: Hex;
  revision: number;
  supersedes: bigint;
}

export interface ContainerBatch {
  containers: readonly ContainerHeader[];
}

export interface JobStamp {
  jobId: Hex;
  siteId: Hex;
  /** StampAction: 1 start, 2 stop. */
  action: number;
  machineIds: readonly Hex[];
  productId: Hex;
  units: bigint;
  /** Unix seconds when the gateway received the stamp. */
  time: bigint;
  /** StampChannel. */
  channel: number;
  nonce: bigint;
}

export interface Footprint {
  siteId: Hex;
  productId: Hex;
  jobIds: readonly Hex[];
  units: bigint;
  /** Binary CID of the footprint document, as hex. */
  cid: Hex;
  energyMilliWattHours: bigint;
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
  nonce: bigint;
}

/** A complete typed-data definition, ready for viem, ethers or a wallet's eth_signTypedData_v4. */
export interface ContainerBatchTypedData {
  domain: Eip712Domain;
  types: typeof containerBatchTypes;
  primaryType: "ContainerBatch";
  message: ContainerBatch;
}

export interface JobStampTypedData {
  domain: Eip712Domain;
  types: typeof jobStampTypes;
  primaryType: "JobStamp";
  message: JobStamp;
}

export interface FootprintTypedData {
  domain: Eip712Domain;
  types: typeof footprintTypes;
  primaryType: "Footprint";
  message: Footprint;
}

/** Any typed data Energy-Intelligence signs. */
export type EnergyTypedData = ContainerBatchTypedData | JobStampTypedData | FootprintTypedData;
