import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "./findFreePort.ts";
import { callJsonRpc } from "./callJsonRpc.ts";

export interface StartHardhatNodeParameters {
  /** Port on 127.0.0.1; a free one is chosen when omitted. */
  port?: number;
  /** Mine a block every `blockIntervalMs` instead of one per transaction. */
  blockIntervalMs?: number;
  /**
   * Fixes the genesis block's timestamp (and so its hash): a node started again with the same
   * date builds the same genesis, which replaying a chain journal needs. Given, the node also mines
   * transactions in arrival order (fifo) rather than by fee (hardhatNode.config.ts).
   */
  initialDate?: string;
  /** Receives the node's stdout and stderr lines (default: dropped). */
  onLog?: (line: string) => void;
  /**
   * How long to wait for the JSON-RPC endpoint to answer (default 180 s: the node loads Hardhat and
   * EDR, which takes a few seconds on an idle machine but over a minute on a saturated one).
   */
  readyTimeoutMs?: number;
}

export interface HardhatNode {
  rpcUrl: string;
  port: number;
  chainId: number;
  /** The child process, for tests that kill -9 it. */
  process: ChildProcess;
  stop(): Promise<void>;
}

/** See StartHardhatNodeParameters.readyTimeoutMs. */
export const DEFAULT_READY_TIMEOUT_MS = 180_000;

/** The node's JSON-RPC endpoint did not answer within readyTimeoutMs (the child is killed). */
export class HardhatNodeTimeoutError extends Error {
  override name = "HardhatNodeTimeoutError";
  readonly timeoutMs: number;

  constructor(rpcUrl: string, timeoutMs: number, output: string) {
    super(
      `the Hardhat node did not answer on ${rpcUrl} within ${timeoutMs / 1000} s (load average ${(loadavg()[0] ?? 0).toFixed(1)}: a busy machine starts it slowly)${output.trim() === "" ? "" : `; its output:\n${output}`}`,
    );
    this.timeoutMs = timeoutMs;
  }
}

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Starts `hardhat node` as a child process on 127.0.0.1 and resolves once its
 * JSON-RPC endpoint answers. A real process (not the in-process network) so
 * that the gateway, the indexer and a browser can all reach one chain, and so
 * a test can stop it to simulate a chain outage.
 */
export async function startHardhatNode(
  parameters: StartHardhatNodeParameters = {},
): Promise<HardhatNode> {
  const port = parameters.port ?? (await findFreePort());
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");
  const genesis =
    parameters.initialDate === undefined
      ? []
      : ["--config", join(import.meta.dirname, "hardhatNode.config.ts"), "--network", "eiNode"];
  const child = spawn(
    process.execPath,
    [cli, ...genesis, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        ...(parameters.initialDate === undefined
          ? {}
          : { EI_NODE_INITIAL_DATE: parameters.initialDate }),
      },
    },
  );
  let output = "";
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString("utf8");
    if (output.length < 20_000) output += text;
    if (parameters.onLog !== undefined) {
      for (const line of text.split("\n")) if (line.trim() !== "") parameters.onLog(line);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);

  const rpcUrl = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = parameters.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const deadline = Date.now() + readyTimeoutMs;
  let chainId: number | undefined;
  while (chainId === undefined) {
    if (child.exitCode !== null) {
      throw new Error(`hardhat node exited with code ${child.exitCode}:\n${output}`);
    }
    try {
      chainId = Number(await callJsonRpc(rpcUrl, "eth_chainId"));
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new HardhatNodeTimeoutError(rpcUrl, readyTimeoutMs, output);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (parameters.blockIntervalMs !== undefined) {
    await callJsonRpc(rpcUrl, "evm_setAutomine", [false]);
    await callJsonRpc(rpcUrl, "evm_setIntervalMining", [parameters.blockIntervalMs]);
  }

  return {
    rpcUrl,
    port,
    chainId,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) =>
        child.once("exit", () => {
          resolve();
        }),
      );
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
