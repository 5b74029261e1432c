import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPublicClient, http } from "viem";
import { HARDHAT_ORACLE_KEY } from "../../chain/testing/deployTestContracts.ts";
import { createInlineWriter } from "../../ingest/inlineWriter.ts";
import { createHeliaContentStore } from "../../ipfs/createHeliaContentStore.ts";
import { DevicesRepository } from "../../store/devicesRepository.ts";
import { openStore } from "../../store/openStore.ts";
import { TestDevice } from "../../testing/deviceFixture.ts";
import { checkExactlyOnce, type ExactlyOnceReport } from "./checkExactlyOnce.ts";
import { killHard, startGatewayChild, writeGatewayConfig } from "./gatewayChild.ts";
import { startTestChain, testStream, waitFor } from "./anchoringFixture.ts";

export interface AnchorCrashScenarioParameters {
  /** How many times the gateway is killed with SIGKILL. */
  kills: number;
  /** 1-second periods of readings to close and anchor. */
  periods: number;
  /** Kill after a random delay in [minDelayMs, maxDelayMs) from ready. */
  minDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

export interface AnchorCrashScenarioResult extends ExactlyOnceReport {
  kills: number;
  /** Confirmed count seen just before each kill: the kills landed at different stages. */
  confirmedAtKills: number[];
  /** Containers closed before the final run was seen settled: each must be confirmed. */
  settledContainers: number;
}

/**
 * The crash scenario of issue 5: a gateway child process with readings of
 * `periods` one-second periods in its store closes and anchors them (batches
 * of 4 containers, 2 confirmations, interval-mined hardhat node); it is
 * killed with SIGKILL `kills` times at random moments and restarted; then it
 * runs to completion and the store, the chain and IPFS are checked for
 * exactly-once (checkExactlyOnce).
 */
export async function runAnchorCrashScenario(
  parameters: AnchorCrashScenarioParameters,
): Promise<AnchorCrashScenarioResult> {
  const log = parameters.log ?? (() => undefined);
  const directory = mkdtempSync(path.join(tmpdir(), "ei-anchor-crash-"));
  const { node, deployment } = await startTestChain(directory, { blockIntervalMs: 150 });
  const client = createPublicClient({ transport: http(node.rpcUrl) });
  const fromBlock = await client.getBlockNumber();
  const dataDir = path.join(directory, "gateway");
  try {
    const periodMs = 1000;
    const startMs =
      Math.floor(Date.now() / periodMs) * periodMs - (parameters.periods + 3) * periodMs;
    const device = new TestDevice(0, { channelCount: 1, startMs });
    {
      const db = openStore({ dataDir });
      const devices = new DevicesRepository(db);
      device.register(devices);
      const deviceRef = devices.get(device.deviceId)?.deviceRef ?? 0;
      const writer = createInlineWriter(db);
      for (let sent = 0; sent < parameters.periods; sent += 20) {
        await writer.write([
          {
            deviceRef,
            transport: "http",
            receivedAtMs: Date.now(),
            message: device.message(Math.min(20, parameters.periods - sent)),
          },
        ]);
      }
      db.close();
    }
    const configFile = writeGatewayConfig(path.join(directory, "gateway.json"), {
      dataDir,
      http: { port: 0 },
      mqtt: { mode: "off" },
      ingest: { writer: "inline" },
      log: { level: "warn" },
      containers: { periodMs, graceMs: 500, checkIntervalMs: 100, streams: [testStream(device)] },
      chain: {
        rpcUrl: node.rpcUrl,
        deploymentsFile: deployment.deploymentsFile,
        confirmations: 2,
        maxBatchContainers: 4,
        pollIntervalMs: 50,
        requestTimeoutMs: 2000,
        backoffInitialMs: 50,
        backoffMaxMs: 1000,
      },
    });
    const confirmedAtKills: number[] = [];
    const confirmedNow = (): number => {
      const db = openStore({ dataDir, readonly: true });
      try {
        return (
          db.prepare("SELECT count(*) AS n FROM containers WHERE state = 'confirmed'").get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    };
    const minDelay = parameters.minDelayMs ?? 200;
    const maxDelay = parameters.maxDelayMs ?? 2500;
    for (let kill = 0; kill < parameters.kills; kill++) {
      const gateway = await startGatewayChild({ configFile, oracleKey: HARDHAT_ORACLE_KEY });
      const delay = minDelay + Math.floor(Math.random() * (maxDelay - minDelay));
      await new Promise((resolve) => setTimeout(resolve, delay));
      await killHard(gateway.process);
      confirmedAtKills.push(confirmedNow());
      log(
        `kill ${kill + 1}/${parameters.kills} after ${delay} ms: ${confirmedAtKills.at(-1)} confirmed`,
      );
    }
    // The final run: to the end (every period closed is confirmed), then a clean stop.
    const gateway = await startGatewayChild({ configFile, oracleKey: HARDHAT_ORACLE_KEY });
    const expected = parameters.periods; // every period holding a reading; later empty ones close held
    await waitFor(
      () =>
        confirmedNow() >= expected &&
        (() => {
          const db = openStore({ dataDir, readonly: true });
          try {
            return (
              (
                db
                  .prepare("SELECT count(*) AS n FROM containers WHERE state <> 'confirmed'")
                  .get() as { n: number }
              ).n === 0
            );
          } finally {
            db.close();
          }
        })(),
      "every closed period confirmed",
      180_000,
    );
    // Periods keep closing as time passes (later ones empty, held): only those
    // closed by now must be confirmed; one closed during the stop may not be.
    const settledAtMs = Date.now();
    gateway.process.kill("SIGTERM");
    await new Promise<void>((resolve) =>
      gateway.process.once("exit", () => {
        resolve();
      }),
    );

    const db = openStore({ dataDir, readonly: true });
    const store = await createHeliaContentStore({ directory: path.join(dataDir, "ipfs") });
    try {
      const report = await checkExactlyOnce({
        db,
        rpcUrl: node.rpcUrl,
        containersAddress: deployment.containers,
        fromBlock,
        store,
      });
      const settled = (
        db
          .prepare("SELECT count(*) AS n FROM containers WHERE closed_at_ms <= ?")
          .get(settledAtMs) as { n: number }
      ).n;
      return { ...report, kills: parameters.kills, confirmedAtKills, settledContainers: settled };
    } finally {
      await store.close();
      db.close();
    }
  } finally {
    await node.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}
