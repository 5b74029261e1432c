/**
 * A stand-in for the Functions DON on a local chain: reads the mock coordinator's OracleRequest events,
 * runs the request's source with the toolkit's simulateScript (as every DON node would), and reports the
 * answer or the error through the coordinator's callReport, which calls the router and the consumer.
 *
 * Unlike a DON, the secrets come from the caller (a DON would decrypt the request's secrets reference),
 * and `argsSuffix` may append arguments (the test API's base URL); both are stated by the caller.
 */
import {
  encodeAbiParameters,
  parseAbi,
  parseAbiParameters,
  stringToHex,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type Log,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import type { SimulationInput } from "@chainlink/functions-toolkit";
import { decodeRequestData, runSimulation } from "./toolkit.ts";

export const coordinatorAbi = parseAbi([
  "event OracleRequest(bytes32 indexed requestId, address indexed requestingContract, address requestInitiator, uint64 subscriptionId, address subscriptionOwner, bytes data, uint16 dataVersion, bytes32 flags, uint64 callbackGasLimit, (bytes32 requestId, address coordinator, uint96 estimatedTotalCostJuels, address client, uint64 subscriptionId, uint32 callbackGasLimit, uint72 adminFee, uint72 donFee, uint40 gasOverheadBeforeCallback, uint40 gasOverheadAfterCallback, uint32 timeoutTimestamp) commitment)",
  "function callReport(bytes report)",
]);

type OracleRequestLog = Log<bigint, number, false, (typeof coordinatorAbi)[0], true>;
export type OracleRequestArgs = OracleRequestLog["args"];

export interface FulfilOptions {
  publicClient: PublicClient;
  /** Sends callReport (the local coordinator accepts any sender). */
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
  coordinator: Address;
  /** Secrets given to the source, as a DON would after decrypting them. */
  secrets?: Record<string, string>;
  /** Appended to the request's args before simulation (test seam, e.g. a local API base URL). */
  argsSuffix?: string[];
  /** simulateScript limits (maxExecutionTimeMs, maxQueryDurationMs, ...). */
  limits?: Omit<SimulationInput, "source" | "args" | "secrets" | "bytesArgs">;
}

export interface FulfilResult {
  requestId: Hex;
  response: Hex;
  error: string | undefined;
  transactionHash: Hex;
}

/** The report FunctionsCoordinator._report decodes: one request, its answer, error and commitment. */
export function encodeReport(args: OracleRequestArgs, response: Hex, error: Hex): Hex {
  const c = args.commitment;
  const commitment = encodeAbiParameters(
    parseAbiParameters(
      "bytes32, address, uint96, address, uint64, uint32, uint72, uint72, uint40, uint40, uint32",
    ),
    [
      c.requestId,
      c.coordinator,
      c.estimatedTotalCostJuels,
      c.client,
      c.subscriptionId,
      c.callbackGasLimit,
      c.adminFee,
      c.donFee,
      c.gasOverheadBeforeCallback,
      c.gasOverheadAfterCallback,
      c.timeoutTimestamp,
    ],
  );
  return encodeAbiParameters(parseAbiParameters("bytes32[], bytes[], bytes[], bytes[], bytes[]"), [
    [args.requestId],
    [response],
    [error],
    [commitment],
    ["0x"],
  ]);
}

/** Runs one request's source and reports the outcome on chain. */
export async function fulfilRequest(
  options: FulfilOptions,
  args: OracleRequestArgs,
): Promise<FulfilResult> {
  let response: Hex = "0x";
  let error: string | undefined;
  try {
    const request = await decodeRequestData(args.data);
    const result = await runSimulation({
      ...options.limits,
      source: request.source,
      args: [...request.args, ...(options.argsSuffix ?? [])],
      secrets: options.secrets ?? {},
    });
    if (result.errorString !== undefined) error = result.errorString;
    else if (result.responseBytesHexstring !== undefined) {
      response = result.responseBytesHexstring as Hex;
    } else error = "the source returned nothing";
  } catch (cause) {
    // As the toolkit's local DON does for a request it cannot decode.
    error = cause instanceof Error ? cause.message : "CBOR parsing error";
  }
  const transactionHash = await options.walletClient.writeContract({
    address: options.coordinator,
    abi: coordinatorAbi,
    functionName: "callReport",
    args: [encodeReport(args, response, error === undefined ? "0x" : stringToHex(error))],
    account: options.walletClient.account,
    chain: options.walletClient.chain,
    gas: 5_000_000n,
  });
  const receipt = await options.publicClient.waitForTransactionReceipt({ hash: transactionHash });
  if (receipt.status !== "success") throw new Error(`callReport ${transactionHash} reverted`);
  return { requestId: args.requestId, response, error, transactionHash };
}

/** Fulfils every OracleRequest logged in a transaction (deterministic, for tests and scripts). */
export async function fulfilRequestsOf(
  options: FulfilOptions,
  transactionHash: Hex,
): Promise<FulfilResult[]> {
  const receipt = await options.publicClient.waitForTransactionReceipt({ hash: transactionHash });
  const logs = await options.publicClient.getContractEvents({
    address: options.coordinator,
    abi: coordinatorAbi,
    eventName: "OracleRequest",
    fromBlock: receipt.blockNumber,
    toBlock: receipt.blockNumber,
    strict: true,
  });
  const results: FulfilResult[] = [];
  for (const log of logs) {
    if (log.transactionHash === transactionHash)
      results.push(await fulfilRequest(options, log.args));
  }
  return results;
}

/**
 * Listens for OracleRequest events and fulfils each, one at a time, like a DON would. Returns a stop
 * function. `onFulfilled` / `onError` report each outcome (an error here is the listener's own, e.g. a
 * reverted callReport, never the source's: those are reported on chain).
 */
export function watchAndFulfil(
  options: FulfilOptions & {
    pollingIntervalMs?: number;
    onFulfilled?: (result: FulfilResult) => void;
    onError?: (error: unknown) => void;
  },
): () => void {
  let queue = Promise.resolve();
  return options.publicClient.watchContractEvent({
    address: options.coordinator,
    abi: coordinatorAbi,
    eventName: "OracleRequest",
    strict: true,
    pollingInterval: options.pollingIntervalMs ?? 200,
    onLogs: (logs) => {
      for (const log of logs) {
        queue = queue.then(async () => {
          try {
            options.onFulfilled?.(await fulfilRequest(options, log.args));
          } catch (error) {
            options.onError?.(error);
          }
        });
      }
    },
    onError: (error) => options.onError?.(error),
  });
}
