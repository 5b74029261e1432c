import type { Hex } from "viem";
import { verifyContainerFromChain } from "@energy-intelligence/sdk/verify/verifyContainerFromChain";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { createChainReader } from "../verify/createChainReader.ts";
import { fetchIpfsFile } from "../verify/fetchIpfsFile.ts";
import { formatChecks } from "../verify/formatChecks.ts";
import type { PrintedCheck } from "../verify/formatChecks.ts";
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

    // The IPFS source is read here (it may be a directory); the checks are the sdk's, shared with the dapp.
    const report = await verifyContainerFromChain({
      client,
      chainId,
      deployments,
      id,
      fromBlock,
      auditorKey,
      sourceName: ipfs,
      readFile: (cid) => fetchIpfsFile(cid, ipfs),
    });
    const checks: PrintedCheck[] = report.checks;
    const summary = report.ok
      ? `container ${id}: verified${report.complete ? "" : " (some checks skipped)"}`
      : `container ${id}: FAILED at ${report.firstFailure?.id ?? "?"}: ${report.firstFailure?.detail ?? ""}`;
    context.print(
      {
        containerId: id.toString(),
        ok: report.ok,
        complete: report.complete,
        firstFailure: report.firstFailure,
        checks,
        anchor: report.anchor,
      },
      `${formatChecks(checks)}\n${summary}`,
    );
    return report.ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
