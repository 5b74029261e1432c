import type { Hex } from "viem";
import { cidFromBytes } from "@energy-intelligence/sdk/cid/index";
import { computeContainerId } from "@energy-intelligence/sdk/containers/computeContainerId";
import { verifyContainer } from "@energy-intelligence/sdk/containers/verifyContainer";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { createChainReader } from "../verify/createChainReader.ts";
import {
  fetchIpfsFile,
  IpfsBlockMismatchError,
  IpfsBlockUnavailableError,
} from "../verify/fetchIpfsFile.ts";
import { findContainerAnchor } from "../verify/findContainerAnchor.ts";
import { formatChecks } from "../verify/formatChecks.ts";
import type { PrintedCheck } from "../verify/formatChecks.ts";
import { gatherAnchorFacts } from "../verify/gatherAnchorFacts.ts";
import { parseContainerId } from "../verify/parseContainerId.ts";
import { readAuditorKey } from "../verify/readAuditorKey.ts";
import { readDeployments } from "../verify/readDeployments.ts";

function stringOption(
  options: Readonly<Record<string, unknown>>,
  name: string,
): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

function parseBlock(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/u.test(text)) {
    throw new CliUsageError(
      `--from-block ${JSON.stringify(text)} is not a block number`,
      "Pass a decimal block number.",
    );
  }
  return BigInt(text);
}

/**
 * `ei verify container <id> --rpc URL --ipfs SOURCE`: an auditor's check of
 * one container from public data alone (an RPC endpoint, an IPFS gateway or a
 * directory of blocks, the deployments file). Exit 0 when every check passes,
 * 1 naming the first that failed, 2 on bad usage.
 */
export const verifyContainerCommand: CliCommand = {
  name: "container",
  description:
    "verify an anchored container from public data: its header on chain, its document from IPFS, every figure recomputed",
  configure: (command) => {
    command
      .argument("<id>", "the container's ERC-1155 token id (decimal or 0x-hex)")
      .requiredOption("--rpc <url>", "JSON-RPC endpoint of the chain")
      .requiredOption(
        "--ipfs <source>",
        "IPFS HTTP gateway URL (trustless raw blocks) or a directory of blocks/files",
      )
      .option("--deployments <file>", "deployments file (default deployments/<chainId>.json)")
      .option("--auditor-key <file>", "X25519 private key that opens documents sealed to you")
      .option(
        "--from-block <n>",
        "scan for the anchoring event from this block (default: the deployment block)",
      )
      .addHelpText(
        "after",
        "\nChecks, in order: anchor, commitment, signature, oracle, fetch, cid, document, canonical-json, decrypt,\n" +
          "public-part, header-fields, merkle-root, reading-count, reading-selection, energy, factors, emissions, flags\n" +
          "(docs/auditing.md says what each proves).\n" +
          'With --json: {"containerId", "ok", "complete", "firstFailure", "checks": [{"id", "ok", "skipped", "detail"}], "anchor"}.',
      );
  },
  action: async (context, args, options) => {
    const id = parseContainerId(args[0]);
    const rpc = stringOption(options, "rpc") ?? "";
    const ipfs = stringOption(options, "ipfs") ?? "";
    const auditorKeyFile = stringOption(options, "auditorKey");
    const auditorKey: Hex | undefined =
      auditorKeyFile === undefined ? undefined : await readAuditorKey(auditorKeyFile);
    const { client, chainId } = await createChainReader(rpc);
    const deployments = await readDeployments(stringOption(options, "deployments"), chainId);
    const fromBlock =
      parseBlock(stringOption(options, "fromBlock")) ?? BigInt(deployments.containers.startBlock);

    const checks: PrintedCheck[] = [];
    const finish = (anchorInfo: Record<string, unknown> | undefined, complete: boolean) => {
      const firstFailure = checks.find((check) => !check.ok);
      const ok = firstFailure === undefined;
      const summary = ok
        ? `container ${id}: verified${complete ? "" : " (some checks skipped)"}`
        : `container ${id}: FAILED at ${firstFailure.id}: ${firstFailure.detail}`;
      context.print(
        { containerId: id.toString(), ok, complete, firstFailure, checks, anchor: anchorInfo },
        `${formatChecks(checks)}\n${summary}`,
      );
      return ok ? ExitCode.ok : ExitCode.checkFailed;
    };

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
      return finish(undefined, false);
    }
    const facts = await gatherAnchorFacts({ client, chainId, deployments, id, anchor });
    const anchorInfo = {
      blockNumber: anchor.blockNumber.toString(),
      transactionHash: anchor.transactionHash,
      signer: anchor.signer,
      cid: cidFromBytes(anchor.header.cid).toString(),
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
    let fetchCheck: PrintedCheck;
    const cid = cidFromBytes(anchor.header.cid);
    try {
      documentBytes = await fetchIpfsFile(cid, ipfs);
      fetchCheck = {
        id: "fetch",
        ok: true,
        skipped: false,
        detail: `${documentBytes.length} bytes from ${ipfs}`,
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
      auditorKey,
      batch: facts.batch,
      chain: facts.chain,
    });
    for (const check of result.checks) {
      if (check.id === "cid") checks.push(fetchCheck);
      if (documentBytes === undefined && fetchCheck.id === "cid" && check.id === "cid") continue;
      checks.push(
        check.id === "signature" && facts.signatureUnreadable !== undefined
          ? { ...check, detail: facts.signatureUnreadable }
          : check,
      );
    }
    return finish(anchorInfo, result.complete);
  },
};
