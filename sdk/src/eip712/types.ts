/**
 * Every EIP-712 type Energy-Intelligence signs, in one place. The Solidity
 * contracts hash the same structs; `docs/formats.md` lists them field by field.
 *
 * Versioning: the domain `version` is bumped whenever any struct here changes,
 * so a signature made under an old layout can never verify under a new one.
 */
export const EIP712_DOMAIN_NAME = "Energy-Intelligence";
export const EIP712_DOMAIN_VERSION = "1";

/** How a job stamp reached the chain. Stored on chain as uint8. */
export const StampChannel = {
  wallet: 0,
  portal: 1,
  api: 2,
  sms: 3,
  relay: 4,
} as const;
export type StampChannel = (typeof StampChannel)[keyof typeof StampChannel];

/** What a job stamp does. Stored on chain as uint8. */
export const StampAction = {
  start: 1,
  stop: 2,
} as const;
export type StampAction = (typeof StampAction)[keyof typeof StampAction];

/**
 * A data container's header: everything an auditor needs to re-derive the
 * container from its document. Times are Unix seconds, half-open [start, end).
 */
export const containerHeaderType = [
  { name: "siteId", type: "bytes32" },
  { name: "streamId", type: "bytes32" },
  { name: "periodStart", type: "uint64" },
  { name: "periodEnd", type: "uint64" },
  { name: "merkleRoot", type: "bytes32" },
  { name: "cid", type: "bytes" },
  { name: "readingCount", type: "uint32" },
  { name: "energyImportedMilliWattHours", type: "uint128" },
  { name: "energyExportedMilliWattHours", type: "uint128" },
  { name: "emissionsLocationMilligramsCo2e", type: "uint128" },
  { name: "emissionsMarketMilligramsCo2e", type: "uint128" },
  { name: "factorRef", type: "bytes32" },
  { name: "revision", type: "uint32" },
  { name: "supersedes", type: "uint256" },
] as const;

/** One oracle signature over many container headers of one site. */
export const containerBatchTypes = {
  ContainerBatch: [{ name: "containers", type: "ContainerHeader[]" }],
  ContainerHeader: containerHeaderType,
} as const;

/**
 * A production job stamp (start or stop) signed off chain by an operator or by
 * the site gateway on a web2 user's behalf, then relayed. `time` is when the
 * gateway received it (Unix seconds). `nonce` is unordered (a bitmap per signer
 * on chain), so relayed stamps may land in any order but only once.
 */
export const jobStampTypes = {
  JobStamp: [
    { name: "jobId", type: "bytes32" },
    { name: "siteId", type: "bytes32" },
    { name: "action", type: "uint8" },
    { name: "machineIds", type: "bytes32[]" },
    { name: "productId", type: "bytes32" },
    { name: "units", type: "uint64" },
    { name: "time", type: "uint64" },
    { name: "channel", type: "uint8" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/**
 * A product lot's footprint, signed by the site oracle that computed it from its
 * containers. `cid` is the whole CID of the footprint document.
 */
export const footprintTypes = {
  Footprint: [
    { name: "siteId", type: "bytes32" },
    { name: "productId", type: "bytes32" },
    { name: "jobIds", type: "bytes32[]" },
    { name: "units", type: "uint64" },
    { name: "cid", type: "bytes" },
    { name: "energyMilliWattHours", type: "uint128" },
    { name: "emissionsLocationMilligramsCo2e", type: "uint128" },
    { name: "emissionsMarketMilligramsCo2e", type: "uint128" },
    { name: "nonce", type: "uint256" },
  ],
} as const;
