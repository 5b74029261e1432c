import { readFile } from "node:fs/promises";
import type { Address, Hex, PublicClient } from "viem";
import { cidFromBytes } from "@energy-intelligence/sdk/cid/index";
import { containerPublicPartSchema } from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import { productLotsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { parseDeployments } from "@energy-intelligence/sdk/contracts/parseDeployments";
import { marketRateContainerOf } from "@energy-intelligence/sdk/footprints/footprintMarketRate";
import { readSiteDevices } from "@energy-intelligence/sdk/footprints/readSiteDevices";
import { readSiteJobs } from "@energy-intelligence/sdk/footprints/readSiteJobs";
import {
  verifyFootprintDocument,
  type ContainerFacts,
  type FootprintCheck,
  type JobFacts,
} from "@energy-intelligence/sdk/footprints/verifyFootprintDocument";
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

/** The containers a document lists, as anchored on chain, with the hours their documents list. */
async function gatherContainers(parameters: {
  client: PublicClient;
  containers: Address;
  fromBlock: bigint;
  ids: readonly string[];
  ipfs: string;
}): Promise<Map<string, ContainerFacts>> {
  const facts = new Map<string, ContainerFacts>();
  for (const id of parameters.ids) {
    const anchor = await findContainerAnchor({
      client: parameters.client,
      containers: parameters.containers,
      fromBlock: parameters.fromBlock,
      id: BigInt(id),
    });
    if (anchor === undefined) continue;
    const cid = cidFromBytes(anchor.header.cid);
    let hours: ContainerFacts["hours"];
    let market: ContainerFacts["market"];
    try {
      // The bytes are checked block by block against the anchored CID; the sealed envelope keeps hours public too.
      const bytes = await fetchIpfsFile(cid, parameters.ipfs);
      const raw = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      const { readings: _readings, ...publicPart } = raw;
      const parsed = containerPublicPartSchema.safeParse("public" in raw ? raw.public : publicPart);
      if (parsed.success) {
        hours = parsed.data.hours;
        // v3: the container's own market-based figures, from which each hour's rate is recomputed.
        market = marketRateContainerOf(id, parsed.data);
      }
    } catch {
      hours = undefined;
    }
    facts.set(id, {
      streamId: anchor.header.streamId,
      periodStartMs: Number(anchor.header.periodStart) * 1000,
      periodEndMs: Number(anchor.header.periodEnd) * 1000,
      revision: anchor.header.revision,
      merkleRoot: anchor.header.merkleRoot,
      cid: cid.toString(),
      hours,
      market,
    });
  }
  return facts;
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
    const lotsAddress = deployments.ProductLots.address;
    const checks: PrintedCheck[] = [];
    const finish = (complete: boolean) => {
      const firstFailure = checks.find((check) => !check.ok);
      const ok = firstFailure === undefined;
      context.print(
        { lotId: lotId.toString(), ok, complete, firstFailure, checks },
        `${formatChecks(checks)}\n${ok ? `lot ${lotId}: verified${complete ? "" : " (some checks skipped)"}` : `lot ${lotId}: FAILED at ${firstFailure.id}: ${firstFailure.detail}`}`,
      );
      return ok ? ExitCode.ok : ExitCode.checkFailed;
    };

    const minted = await client.getContractEvents({
      address: lotsAddress,
      abi: productLotsAbi,
      eventName: "LotMinted",
      args: { lotId },
      fromBlock: BigInt(deployments.ProductLots.startBlock),
      strict: true,
    });
    const event = minted[0];
    if (event === undefined) {
      checks.push({
        id: "minted",
        ok: false,
        skipped: false,
        detail: `no LotMinted event for lot ${lotId} on ProductLots ${lotsAddress}`,
      });
      return finish(false);
    }
    const stored = await client.readContract({
      address: lotsAddress,
      abi: productLotsAbi,
      functionName: "lot",
      args: [lotId],
    });
    const { footprint } = event.args;
    const cid = cidFromBytes(footprint.cid);
    checks.push({
      id: "minted",
      ok: stored.footprintHash === event.args.footprintHash && stored.units === footprint.units,
      skipped: false,
      detail: `block ${event.blockNumber}, tx ${event.transactionHash}, signer ${event.args.signer}, footprint ${cid.toString()}`,
    });

    let documentBytes: Uint8Array;
    try {
      documentBytes = await fetchIpfsFile(cid, ipfs);
      checks.push({
        id: "fetch",
        ok: true,
        skipped: false,
        detail: `${documentBytes.length} bytes from ${ipfs}`,
      });
    } catch (error) {
      if (error instanceof IpfsBlockUnavailableError || error instanceof IpfsBlockMismatchError) {
        checks.push({
          id: error instanceof IpfsBlockMismatchError ? "cid" : "fetch",
          ok: false,
          skipped: false,
          detail: error.message,
        });
        return finish(false);
      }
      throw error;
    }

    // Facts from the chain, read at the mint block: what the oracle could see when it signed.
    let listed:
      | {
          siteId: Hex;
          containers: string[];
          machines: Hex[];
          scope: { startMs: number; endMs: number };
        }
      | undefined;
    try {
      const raw = JSON.parse(new TextDecoder().decode(documentBytes)) as {
        containers?: { containerId?: string }[];
        machines?: { machineId?: Hex }[];
        scope?: { startMs: number; endMs: number };
      };
      listed = {
        siteId: footprint.siteId,
        containers: (raw.containers ?? [])
          .map((entry) => entry.containerId ?? "")
          .filter((id) => /^[0-9]+$/u.test(id)),
        machines: (raw.machines ?? []).map(
          (entry) => (entry.machineId ?? "0x").toLowerCase() as Hex,
        ),
        scope: raw.scope ?? { startMs: 0, endMs: 0 },
      };
    } catch {
      listed = undefined;
    }
    const siteJobs = await readSiteJobs({
      client,
      jobs: deployments.JobStamps.address,
      siteId: footprint.siteId,
      fromBlock: BigInt(deployments.JobStamps.startBlock),
      toBlock: event.blockNumber,
    });
    const jobs = new Map<string, JobFacts>();
    for (const job of siteJobs) {
      if (job.stopMs !== undefined) jobs.set(job.jobId, { ...job, stopMs: job.stopMs });
    }
    const machines = new Set(listed?.machines ?? []);
    const overlappingJobIds = siteJobs
      .filter(
        (job) =>
          listed !== undefined &&
          job.machineIds.some((id) => machines.has(id)) &&
          job.startMs < listed.scope.endMs &&
          (job.stopMs === undefined || job.stopMs > listed.scope.startMs),
      )
      .map((job) => job.jobId);
    const containers = await gatherContainers({
      client,
      containers: deployments.DataContainers.address,
      fromBlock: BigInt(deployments.DataContainers.startBlock),
      ids: listed?.containers ?? [],
      ipfs,
    });
    const devices = await readSiteDevices({
      client,
      registry: deployments.EnergyRegistry.address,
      siteId: footprint.siteId,
      fromBlock: BigInt(deployments.EnergyRegistry.startBlock),
      toBlock: event.blockNumber,
    });

    const result = verifyFootprintDocument({
      documentBytes,
      lot: {
        siteId: footprint.siteId,
        productId: footprint.productId,
        jobIds: footprint.jobIds,
        units: stored.units,
        cid: cid.toString(),
        energyMilliWattHours: stored.energyMilliWattHours,
        emissionsLocationMilligramsCo2e: stored.emissionsLocationMilligramsCo2e,
        emissionsMarketMilligramsCo2e: stored.emissionsMarketMilligramsCo2e,
      },
      jobs,
      overlappingJobIds,
      containers,
      devices,
    });
    checks.push(...result.checks.map((check: FootprintCheck) => ({ ...check })));
    return finish(result.complete);
  },
};
