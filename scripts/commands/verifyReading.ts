import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { readingDisclosureSchema } from "@energy-intelligence/sdk/containers/readingDisclosureSchema";
import { verifyContainer } from "@energy-intelligence/sdk/containers/verifyContainer";
import { verifyReadingDisclosure } from "@energy-intelligence/sdk/containers/verifyReadingDisclosure";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { readJsonFile } from "../cli/readJsonFile.ts";
import { zodUsageError } from "../cli/withInputFile.ts";
import { createChainReader } from "../verify/createChainReader.ts";
import { findContainerAnchor } from "../verify/findContainerAnchor.ts";
import { formatChecks } from "../verify/formatChecks.ts";
import type { PrintedCheck } from "../verify/formatChecks.ts";
import { gatherAnchorFacts } from "../verify/gatherAnchorFacts.ts";
import { readDeployments } from "../verify/readDeployments.ts";

/**
 * `ei verify reading <bundle.json> --rpc URL`: checks one disclosed reading
 * against its anchored container (header, commitment, signature, oracle) with
 * its salt and Merkle proof, off chain and through DataContainers.verifyReading.
 */
export const verifyReadingCommand: CliCommand = {
  name: "reading",
  description:
    "verify one disclosed reading (ei-reading-disclosure-v1 bundle) against its anchored container",
  configure: (command) => {
    command
      .argument("<bundle>", "the disclosure bundle (JSON), or - for stdin")
      .requiredOption("--rpc <url>", "JSON-RPC endpoint of the chain")
      .option("--deployments <file>", "deployments file (default deployments/<chainId>.json)")
      .addHelpText(
        "after",
        "\nChecks: anchor, commitment, signature, oracle, bundle, details, merkle-proof, on-chain-proof.\n" +
          'With --json: {"containerId", "ok", "firstFailure", "checks", "reading"}.',
      );
  },
  action: async (context, args, options) => {
    const file = typeof args[0] === "string" ? args[0] : "-";
    const parsed = readingDisclosureSchema.safeParse(await readJsonFile(file));
    if (!parsed.success) {
      throw zodUsageError(
        file,
        parsed.error,
        "Pass a bundle made by buildReadingDisclosure (format ei-reading-disclosure-v1).",
      );
    }
    const bundle = parsed.data;
    const id = BigInt(bundle.containerId);
    const { client, chainId } = await createChainReader(
      typeof options.rpc === "string" ? options.rpc : "",
    );
    const deployments = await readDeployments(
      typeof options.deployments === "string" ? options.deployments : undefined,
      chainId,
    );
    const checks: PrintedCheck[] = [];
    const finish = () => {
      const firstFailure = checks.find((check) => !check.ok);
      const ok = firstFailure === undefined;
      const reading = `device ${bundle.reading.deviceId} channel ${bundle.reading.channel} sequence ${bundle.reading.sequence}`;
      context.print(
        { containerId: bundle.containerId, ok, firstFailure, checks, reading: bundle.reading },
        `${formatChecks(checks)}\n${ok ? `reading (${reading}) verified in container ${id}` : `reading FAILED at ${firstFailure.id}: ${firstFailure.detail}`}`,
      );
      return ok ? ExitCode.ok : ExitCode.checkFailed;
    };
    const anchor = await findContainerAnchor({
      client,
      containers: deployments.containers.address,
      fromBlock: BigInt(deployments.containers.startBlock),
      id,
    });
    if (anchor === undefined) {
      checks.push({
        id: "anchor",
        ok: false,
        skipped: false,
        detail: `no ContainersAnchored event holds container ${id} on DataContainers ${deployments.containers.address}`,
      });
      return finish();
    }
    checks.push({
      id: "anchor",
      ok: true,
      skipped: false,
      detail: `block ${anchor.blockNumber}, tx ${anchor.transactionHash}`,
    });
    const facts = await gatherAnchorFacts({ client, chainId, deployments, id, anchor });
    const chainChecks = await verifyContainer({
      header: anchor.header,
      documentBytes: undefined,
      batch: facts.batch,
      chain: facts.chain,
    });
    for (const check of chainChecks.checks) {
      if (check.id !== "commitment" && check.id !== "signature" && check.id !== "oracle") continue;
      checks.push(
        check.id === "signature" && facts.signatureUnreadable !== undefined
          ? { ...check, detail: facts.signatureUnreadable }
          : check,
      );
    }
    // The root comes from the anchored header, never from the bundle.
    const result = verifyReadingDisclosure(bundle, anchor.header.merkleRoot);
    checks.push(...result.checks);
    if (result.leaf !== undefined) {
      let onChain: boolean;
      try {
        onChain = await client.readContract({
          address: deployments.containers.address,
          abi: dataContainersAbi,
          functionName: "verifyReading",
          args: [anchor.header, result.leaf, bundle.proof],
        });
      } catch {
        onChain = false;
      }
      checks.push({
        id: "on-chain-proof",
        ok: onChain,
        skipped: false,
        detail: onChain
          ? `DataContainers.verifyReading agrees`
          : "DataContainers.verifyReading refuses the reading",
      });
    }
    return finish();
  },
};
