import { readFile } from "node:fs/promises";
import { parseDeployments } from "@energy-intelligence/sdk/contracts/parseDeployments";
import { verifyLotFromChain } from "@energy-intelligence/sdk/verify/verifyLotFromChain";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { createChainReader } from "../verify/createChainReader.ts";
import { fetchIpfsFile } from "../verify/fetchIpfsFile.ts";
import { formatChecks } from "../verify/formatChecks.ts";
import type { PrintedCheck } from "../verify/formatChecks.ts";
import { parseContainerId } from "../verify/parseContainerId.ts";

const LOT_CONTRACTS = ["EnergyRegistry", "DataContainers", "JobStamps", "ProductLots"] as const;

function stringOption(
  options: Readonly<Record<string, unknown>>,
  name: string,
): string | undefined {
  const value = options[name];
  return typeof value === "string" ? value : undefined;
}

async function readLotDeployments(file: string | undefined, chainId: number) {
  const path = file ?? `deployments/${chainId}.json`;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    throw new CliUsageError(
      `${path}: cannot read the deployments file as JSON`,
      "Pass --deployments <file> (deployments/<chainId>.json).",
      { cause },
    );
  }
  try {
    return parseDeployments(json, { require: LOT_CONTRACTS });
  } catch (cause) {
    throw new CliUsageError(
      `${path}: not a deployments file with ${LOT_CONTRACTS.join(", ")}`,
      "Point --deployments at the file the deploy wrote.",
      { cause },
    );
  }
}

/**
 * `ei verify lot <id> --rpc URL --ipfs SOURCE`: recomputes a product lot's
 * footprint from public data alone — the lot and its LotMinted footprint on
 * chain, the document from IPFS, the jobs' stamps from JobStamps, the
 * containers from DataContainers, every reading proven against its container's
 * root, the factors the containers used — and compares. Exit 0 when every
 * check passes, 1 naming the first difference, 2 on bad usage.
 */
export const verifyLotCommand: CliCommand = {
  name: "lot",
  description:
    "verify a product lot from public data: its footprint recomputed from jobs, anchored readings and factors",
  configure: (command) => {
    command
      .argument("<id>", "the lot's ERC-1155 token id (decimal or 0x-hex)")
      .requiredOption("--rpc <url>", "JSON-RPC endpoint of the chain")
      .requiredOption(
        "--ipfs <source>",
        "IPFS HTTP gateway URL (trustless raw blocks) or a directory of blocks/files",
      )
      .option("--deployments <file>", "deployments file (default deployments/<chainId>.json)")
      .addHelpText(
        "after",
        "\nChecks, in order: minted, fetch, cid, document, lot, jobs, scope-jobs, containers, readings, devices, factors,\n" +
          "market-based (each hour's market-based rate recomputed from its ei-container-v3 containers: on-site\n" +
          "netting, contractual instruments, residual mix), recompute (docs/jobs-and-footprints.md says what each proves).\n" +
          'With --json: {"lotId", "ok", "complete", "firstFailure", "checks": [{"id", "ok", "skipped", "detail"}]}.',
      );
  },
  action: async (context, args, options) => {
    const lotId = parseContainerId(args[0], "lot id");
    const rpc = stringOption(options, "rpc") ?? "";
    const ipfs = stringOption(options, "ipfs") ?? "";
    const { client, chainId } = await createChainReader(rpc);
    const deployments = await readLotDeployments(stringOption(options, "deployments"), chainId);
    const report = await verifyLotFromChain({
      client,
      deployments,
      lotId,
      readFile: (cid) => fetchIpfsFile(cid, ipfs),
      sourceName: ipfs,
    });
    const checks: PrintedCheck[] = report.checks;
    const { ok, complete, firstFailure } = report;
    context.print(
      { lotId: lotId.toString(), ok, complete, firstFailure, checks },
      `${formatChecks(checks)}\n${
        ok
          ? `lot ${lotId}: verified${complete ? "" : " (some checks skipped)"}`
          : `lot ${lotId}: FAILED at ${firstFailure?.id ?? "?"}: ${firstFailure?.detail ?? ""}`
      }`,
    );
    return ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};
