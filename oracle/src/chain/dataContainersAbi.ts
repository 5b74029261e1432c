import { parseAbi } from "viem";

/**
 * The slice of DataContainers the gateway calls, in viem's human-readable
 * form (contracts/interfaces/IDataContainers.sol is the source). A seam:
 * replace with the generated ABI from sdk/src/contracts once it lands; the
 * anchoring tests deploy the compiled contract, so a drift fails them.
 */
export const dataContainersAbi = parseAbi([
  "struct ContainerHeader { bytes32 siteId; bytes32 streamId; uint64 periodStart; uint64 periodEnd; bytes32 merkleRoot; bytes cid; uint32 readingCount; uint128 energyImportedMilliWattHours; uint128 energyExportedMilliWattHours; uint128 emissionsLocationMilligramsCo2e; uint128 emissionsMarketMilligramsCo2e; bytes32 factorRef; uint32 revision; uint256 supersedes; }",
  "function anchorMany(ContainerHeader[] headers, address signer, bytes signature) returns (uint256[] ids)",
  "function exists(uint256 id) view returns (bool)",
  "function commitmentOf(uint256 id) view returns (bytes32)",
  "function containerId(bytes32 siteId, bytes32 streamId, uint64 periodStart, uint64 periodEnd, uint32 revision) pure returns (uint256)",
  "event ContainersAnchored(bytes32 indexed siteId, address indexed signer, ContainerHeader[] headers)",
  "error Containers_AlreadyAnchored(uint256 id)",
  "error Containers_SignerNotOracle(bytes32 siteId, address signer)",
  "error Containers_BadSignature(address signer)",
  "error Containers_UnknownSite(bytes32 siteId)",
  "error Containers_MixedSites(uint256 index, bytes32 expected, bytes32 actual)",
  "error Containers_EmptyBatch()",
]);
