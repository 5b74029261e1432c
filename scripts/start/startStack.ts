import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { keccak256, stringToHex, type Hex } from "viem";
import { startHardhatNode, type HardhatNode } from "../services/startHardhatNode.ts";
import { DEMO_KEYS } from "./demoAccounts.ts";
import { registerDemoSite } from "./registerDemoSite.ts";
import { runLiveFactory, type LiveFactory } from "./runLiveFactory.ts";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface StartStackOptions {
  /** chain = base, gateway HTTP = base + 1, MQTT = base + 2. */
  portBase: number;
  dataDir: string;
  /** Container period; short in the demo so anchoring is visible within a minute. */
  periodMs: number;
  progress: (text: string) => void;
}

export interface RunningStack {
  /** `name: url` lines, in the order `ei start` prints them. */
  services: readonly { name: string; url: string }[];
  /** Parts of the product that do not exist yet, so `ei start` can say so. */
  notYet: readonly string[];
  stop(): Promise<void>;
}

const DEMO_MACHINES = [
  { name: "CNC mill 1", profile: "cnc-mill", phases: 3 },
  { name: "Injection molder 1", profile: "injection-molder", phases: 3 },
  { name: "Compressor", profile: "compressor", phases: 1 },
] as const;

function id(label: string): Hex {
  return keccak256(stringToHex(label));
}

async function buildContracts(progress: (text: string) => void): Promise<void> {
  progress("compiling contracts …");
  const require = createRequire(import.meta.url);
  const cli = path.join(
    path.dirname(require.resolve("hardhat/package.json")),
    "dist",
    "src",
    "cli.js",
  );
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "build", "--quiet"], {
      cwd: projectRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`hardhat build failed (exit ${String(code)}):\n${stderr}`));
    });
  });
}

/**
 * Starts the whole embedded stack on 127.0.0.1: a Hardhat node mining a block a
 * second, the contracts deployed with Ignition, the demo site registered on
 * chain, the gateway (MQTT, HTTP, SQLite, Helia, anchoring) and a factory of
 * CT-clamp monitored machines publishing in real time. Each part started is
 * stopped again if a later one fails, so a failed start leaves nothing running.
 */
export async function startStack(options: StartStackOptions): Promise<RunningStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest: one part failing to close must not leave others running.
      }
    }
  };
  try {
    await mkdir(options.dataDir, { recursive: true });
    await buildContracts(options.progress);

    options.progress(`starting a Hardhat node on 127.0.0.1:${options.portBase} …`);
    const node: HardhatNode = await startHardhatNode({
      port: options.portBase,
      blockIntervalMs: 1000,
    });
    stops.push(() => node.stop());

    options.progress("deploying contracts with Ignition …");
    const { network } = await import("hardhat");
    const { deployContracts } = await import("../deploy/deploy.ts");
    const { writeDeployments } = await import("../deploy/writeDeployments.ts");
    const connection = await network.create({
      network: "localhost",
      override: { url: node.rpcUrl },
    });
    // The demo chain lives only as long as this process, so its Ignition journal is thrown away
    // afterwards; a unique id keeps concurrent starts (tests) from sharing one.
    const deploymentId = `ei-start-${randomBytes(6).toString("hex")}`;
    let deployed: Awaited<ReturnType<typeof deployContracts>>;
    try {
      deployed = await deployContracts(connection, { deploymentId });
    } finally {
      await connection.close();
      await rm(path.join(projectRoot, "ignition", "deployments", deploymentId), {
        recursive: true,
        force: true,
      });
    }
    const deploymentsFile = await writeDeployments(
      path.join(options.dataDir, "deployments"),
      deployed.chainId,
      deployed.deployments,
    );

    const { CtClampDevice, LOAD_PROFILES } =
      await import("@energy-intelligence/oracle/sim/ctClampDevice");
    const siteId = id("ei-demo/site/1");
    const seed = "ei-demo";
    const machines = DEMO_MACHINES.map((machine, index) => {
      const profile = LOAD_PROFILES[machine.profile];
      if (profile === undefined) throw new Error(`unknown load profile ${machine.profile}`);
      const probe = new CtClampDevice({
        seed,
        index,
        phases: machine.phases,
        profile,
        startMs: 0,
      });
      return {
        ...machine,
        profile,
        machineId: id(`ei-demo/machine/${index + 1}`),
        deviceId: probe.deviceId,
        publicKey: probe.publicKey,
      };
    });

    options.progress("registering the demo site, machines, devices and oracle on chain …");
    await registerDemoSite({
      rpcUrl: node.rpcUrl,
      chainId: deployed.chainId,
      registry: deployed.deployments.EnergyRegistry.address,
      siteId,
      siteName: "Energy-Intelligence demo factory",
      machines: machines.map((machine) => ({ machineId: machine.machineId, name: machine.name })),
      devices: machines.map((machine) => ({
        deviceId: machine.deviceId,
        machineId: machine.machineId,
        publicKey: machine.publicKey,
      })),
    });

    options.progress("starting the gateway …");
    const { loadGatewayConfig } =
      await import("@energy-intelligence/oracle/config/loadGatewayConfig");
    const { startGateway } = await import("@energy-intelligence/oracle/server");
    const { DevicesRepository } =
      await import("@energy-intelligence/oracle/store/devicesRepository");
    const config = loadGatewayConfig({
      overrides: {
        dataDir: path.join(options.dataDir, "gateway"),
        http: { port: options.portBase + 1 },
        mqtt: { mode: "embedded", port: options.portBase + 2 },
        log: { level: "warn" },
        containers: {
          periodMs: options.periodMs,
          graceMs: Math.min(5_000, options.periodMs),
          checkIntervalMs: 500,
          streams: machines.map((machine) => ({
            siteId,
            streamId: machine.machineId,
            channels: Array.from({ length: machine.phases }, (_, channel) => ({
              deviceId: machine.deviceId,
              channel,
            })),
            location: { region: "egrid:CAMX", policy: "latest-available" },
          })),
        },
        chain: {
          rpcUrl: node.rpcUrl,
          deploymentsFile,
          confirmations: 1,
          pollIntervalMs: 500,
        },
      },
    });
    const gateway = await startGateway(config, { EI_ORACLE_KEY: DEMO_KEYS.oracle });
    stops.push(() => gateway.close());
    const devices = new DevicesRepository(gateway.db);
    for (const machine of machines) {
      if (devices.get(machine.deviceId) !== undefined) continue;
      devices.add({
        deviceId: machine.deviceId,
        siteId,
        machineId: machine.machineId,
        kind: "ct-clamp",
        authScheme: "ed25519",
        publicKey: machine.publicKey,
        channelCount: machine.phases,
      });
    }
    if (gateway.mqttUrl === undefined) throw new Error("the gateway started without MQTT");

    options.progress("starting the simulated factory (CT-clamp monitors, one message a second) …");
    const factory: LiveFactory = await runLiveFactory({
      mqttUrl: gateway.mqttUrl,
      siteId,
      seed,
      machines: machines.map((machine) => ({ phases: machine.phases, profile: machine.profile })),
      stepMs: 1000,
      onError: (error) => {
        options.progress(`factory: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    stops.push(() => factory.stop());

    return {
      services: [
        { name: "chain", url: node.rpcUrl },
        { name: "gateway", url: gateway.httpUrl },
        { name: "mqtt", url: gateway.mqttUrl },
        { name: "ipfs", url: `${gateway.httpUrl}/ipfs` },
      ],
      notYet: ["subgraph", "dapp", "pact"],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
