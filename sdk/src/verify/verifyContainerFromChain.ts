import type { Hex, PublicClient } from "viem";
import { cidFromBytes } from "../cid/index.ts";
import { computeContainerId } from "../containers/computeContainerId.ts";
import { verifyContainer } from "../containers/verifyContainer.ts";
import { findContainerAnchor } from "./findContainerAnchor.ts";
import { gatherAnchorFacts, type VerifyDeployments } from "./gatherAnchorFacts.ts";
import { IpfsBlockMismatchError, IpfsBlockUnavailableError } from "./ipfsBlockErrors.ts";
import type { CID } from "multiformats/cid";
import {
  finishReport,
  type VerificationCheck,
  type VerificationReport,
} from "./verificationReport.ts";

export interface VerifyContainerFromChainParameters {
  client: PublicClient;
  chainId: number;
  deployments: VerifyDeployments;
  id: bigint;
  /**
   * Reads a UnixFS file by CID from an untrusted source, checking it (readVerifiedUnixfsFile over
   * a BlockSource does); throws IpfsBlockUnavailableError or IpfsBlockMismatchError.
   */
  readFile: (cid: CID) => Promise<Uint8Array>;
  /** How the block source is named in check details (a URL or directory). */
  sourceName: string;
  /** Scan for the anchoring event from this block (default: DataContainers' deployment block). */
  fromBlock?: bigint | undefined;
  /** X25519 private key that opens documents sealed to this auditor. */
  auditorKey?: Hex | Uint8Array | undefined;
}

export interface VerifyContainerFromChainReturnType extends VerificationReport {
  anchor:
    | {
        blockNumber: string;
        transactionHash: Hex;
        signer: Hex;
        cid: string;
        supersededBy: string;
      }
    | undefined;
  /** The document bytes as fetched (checked block by block), for a proof bundle. */
  documentBytes: Uint8Array | undefined;
}

/**
 * An auditor's check of one anchored container from public data alone: the anchoring event and
 * commitment on chain, the oracle's signature and its registration at the anchoring block, the
 * document from IPFS checked against its CID, and every figure recomputed by verifyContainer.
 * What `ei verify container` and the dapp's verify page both run.
 *
 * @example
 * ```ts
 * const report = await verifyContainerFromChain({ client, chainId, deployments, id,
 *   readFile: (cid) => readVerifiedUnixfsFile(cid, gatewayBlockSource(url, fetch), url), sourceName: url });
 * report.firstFailure?.id; // "cid" when the gateway served other bytes
 * ```
 */
export async function verifyContainerFromChain(
  parameters: VerifyContainerFromChainParameters,
): Promise<VerifyContainerFromChainReturnType> {
  const { client, deployments, id, sourceName } = parameters;
  const fromBlock = parameters.fromBlock ?? BigInt(deployments.containers.startBlock);
  const checks: VerificationCheck[] = [];
  const anchor = await findContainerAnchor({
    client,
    containers: deployments.containers.address,
    fromBlock,
    id,
  });
  if (anchor === undefined) {
    checks.push({
      id: "anchor",
      ok: false,
      skipped: false,
      detail: `no ContainersAnchored event holds container ${id} on DataContainers ${deployments.containers.address} since block ${fromBlock}`,
    });
    return { ...finishReport(checks, false), anchor: undefined, documentBytes: undefined };
  }
  const facts = await gatherAnchorFacts({
    client,
    chainId: parameters.chainId,
    deployments,
    id,
    anchor,
  });
  const cid = cidFromBytes(anchor.header.cid);
  const anchorInfo = {
    blockNumber: anchor.blockNumber.toString(),
    transactionHash: anchor.transactionHash,
    signer: anchor.signer,
    cid: cid.toString(),
    supersededBy: facts.supersededBy.toString(),
  };
  checks.push({
    id: "anchor",
    ok: computeContainerId(anchor.header) === id,
    skipped: false,
    detail:
      `block ${anchor.blockNumber}, tx ${anchor.transactionHash}, batch of ${anchor.batch.length}` +
      (facts.supersededBy === 0n ? "" : `; superseded by container ${facts.supersededBy}`),
  });

  let documentBytes: Uint8Array | undefined;
  let fetchCheck: VerificationCheck;
  try {
    documentBytes = await parameters.readFile(cid);
    fetchCheck = {
      id: "fetch",
      ok: true,
      skipped: false,
      detail: `${documentBytes.length} bytes from ${sourceName}`,
    };
  } catch (error) {
    if (error instanceof IpfsBlockUnavailableError) {
      fetchCheck = { id: "fetch", ok: false, skipped: false, detail: error.message };
    } else if (error instanceof IpfsBlockMismatchError) {
      fetchCheck = { id: "cid", ok: false, skipped: false, detail: error.message };
    } else throw error;
  }

  const result = await verifyContainer({
    header: anchor.header,
    documentBytes,
    auditorKey: parameters.auditorKey,
    batch: facts.batch,
    chain: facts.chain,
  });
  for (const check of result.checks) {
    if (check.id === "cid") checks.push(fetchCheck);
    if (documentBytes === undefined && fetchCheck.id === "cid" && check.id === "cid") continue;
    checks.push(
      check.id === "signature" && facts.signatureUnreadable !== undefined
        ? { ...check, detail: facts.signatureUnreadable }
        : { ...check },
    );
  }
  return { ...finishReport(checks, result.complete), anchor: anchorInfo, documentBytes };
}
