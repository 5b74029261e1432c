import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { UNIXFS_CHUNK_SIZE_BYTES, UNIXFS_MAX_LINKS_PER_NODE } from "@energy-intelligence/sdk";

/**
 * Kubo's `ipfs add --cid-version=1` parameters, spelled out for the importer:
 * newer Helia releases default to other chunk sizes and link counts, which
 * would give the same bytes a different CID than the sdk and an auditor's Kubo.
 */
export function kuboCompatibleImportOptions() {
  return {
    cidVersion: 1 as const,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: UNIXFS_CHUNK_SIZE_BYTES }),
    layout: balanced({ maxChildrenPerNode: UNIXFS_MAX_LINKS_PER_NODE }),
  };
}
