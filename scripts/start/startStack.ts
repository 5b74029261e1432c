import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { glob, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createPublicClient, http, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deviceKeyHash, deviceKindCode } from "@energy-intelligence/sdk";
import { addPortalUser, generatePortalPassword } from "../commands/portal.ts";
import { deploymentsSchema, type Deployments } from "../../sdk/src/contracts/deploymentsSchema.ts";
import { ChainJournalWriter, readChainJournal } from "../services/chainJournal.ts";
import { startChainRecorder } from "../services/recordChain.ts";
import { replayChainJournal } from "../services/replayChainJournal.ts";
import { startHardhatNode } from "../services/startHardhatNode.ts";
import { checkGatewayStoreAgainstChain } from "./checkGatewayStoreAgainstChain.ts";
import { DEMO_KEYS } from "./demoAccounts.ts";
import {
  DEMO_DEVICES,
  DEMO_MACHINES,
  DEMO_PHONE,
  DEMO_PRODUCTS,
  DEMO_SITE_ID,
  DEMO_SITE_NAME,
  OVERHEAD_MACHINE_ID,
  demoId,
} from "./demoFactory.ts";
import { readSignedMonitorState } from "./readSignedMonitorState.ts";
import { registerDemoSite, type DemoDevice } from "./registerDemoSite.ts";
import { runLiveFactory, type LiveFactory } from "./runLiveFactory.ts";
import { runProductionSchedule } from "./runProductionSchedule.ts";
import {
  buildDappIfChanged,
  dappEnv,
  missingDappReason,
  startDapp,
  type RunningDapp,
} from "./startDapp.ts";
import {
  emonAdapter,
  startEmonMonitor,
  startPolledDevices,
  type EmonMonitor,
} from "./startProtocolSimulators.ts";
import { CHAIN_JOURNAL_FILE, claimDataDir, recordStartState, STATE_FILE } from "./startState.ts";
import { callJsonRpc } from "../services/callJsonRpc.ts";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The demo's web2 portal user: an operator of the demo site (docs/demo.md). */
export const DEMO_PORTAL_USERNAME = "demo-operator";

/** graph-node's default subgraph name, which the dapp's docs use too. */
export const SUBGRAPH_NAME = "energy-intelligence/local";

export interface StartStackOptions {
  /** chain = base, gateway HTTP = +1, MQTT = +2, subgraph GraphQL = +3, dapp = +4. */
  portBase: number;
  dataDir: string;
  /** Container period; short in the demo so anchoring is visible within a minute. */
  periodMs: number;
  /** Clear an earlier run's state in dataDir instead of refusing it. */
  reset?: boolean;
  /** Leave the dapp out (no build, no `next start`). */
  noDapp?: boolean;
  /** Leave the production schedule out (no jobs, so no lots). */
  noJobs?: boolean;
  progress: (text: string) => void;
}

export interface StackService {
  name: string;
  url: string;
}

export interface RunningStack {
  /** `name: url` lines, in the order `ei start` prints them. */
  services: readonly StackService[];
  /** Parts of the product left out of this run, each with the reason, so `ei start` can say so. */
  skipped: readonly { name: string; reason: string }[];
  /** The demo operator's portal sign-in, when the dapp runs. */
  portal?: { url: string; username: string; password: string; passwordFile: string };
  /** Milestones in ms since startStack was called (bench). */
  timings: { dappBuildMs: number | undefined; dappBuilt: boolean };
  stop(): Promise<void>;
}

async function runNodeScript(
  args: readonly string[],
  cwd: string,
  what: string,
  onLine?: (line: string) => void,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer): void => {
      const text = chunk.toString("utf8");
      if (output.length < 50_000) output += text;
      if (onLine !== undefined)
        for (const line of text.split("\n")) if (line.trim() !== "") onLine(line.trimEnd());
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (exit ${String(code)}):\n${output}`));
    });
  });
}

/** The newest modification time (ms) of the files `pattern` matches under `dir`; 0 when none. */
async function newestMtimeMs(dir: string, pattern: string): Promise<number> {
  let newest = 0;
  for await (const file of glob(pattern, { cwd: dir })) {
    newest = Math.max(newest, (await stat(path.join(dir, file))).mtimeMs);
  }
  return newest;
}

/**
 * Whether Hardhat's last build is newer than every contract source and the config. Spawning
 * `hardhat build` only to hear "nothing to compile" costs seconds of the start (tens on a busy
 * machine); a build writes new build-info files, so their times say when it last compiled.
 */
async function contractsUpToDate(): Promise<boolean> {
  const artifacts = path.join(projectRoot, "artifacts");
  if (!existsSync(path.join(artifacts, "contracts"))) return false;
  const built = await newestMtimeMs(path.join(artifacts, "build-info"), "*.json");
  const sources = Math.max(
    await newestMtimeMs(path.join(projectRoot, "contracts"), "**/*.sol"),
    await newestMtimeMs(projectRoot, "hardhat.config.ts"),
  );
  return built > sources;
}

async function buildContracts(progress: (text: string) => void): Promise<void> {
  if (await contractsUpToDate()) return;
  progress("compiling contracts …");
  const require = createRequire(import.meta.url);
  const cli = path.join(
    path.dirname(require.resolve("hardhat/package.json")),
    "dist",
    "src",
    "cli.js",
  );
  await runNodeScript([cli, "build", "--quiet"], projectRoot, "hardhat build");
}

/** The compiled subgraph the embedded indexer runs; built once (graph codegen + build, ~10 s). */
async function ensureSubgraphBuilt(progress: (text: string) => void): Promise<void> {
  if (existsSync(path.join(projectRoot, "subgraph", "build", "subgraph.yaml"))) return;
  progress("building the subgraph mappings (first run) …");
  const require = createRequire(import.meta.url);
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith(".js") === true) {
    await runNodeScript([npmCli, "run", "build", "-w", "subgraph"], projectRoot, "subgraph build");
    return;
  }
  // Not started through npm: run the workspace's build steps directly.
  const graphCli = path.join(
    path.dirname(require.resolve("@graphprotocol/graph-cli/package.json")),
    "bin",
    "run.js",
  );
  const cwd = path.join(projectRoot, "subgraph");
  await runNodeScript(["scripts/generateManifest.ts"], cwd, "subgraph manifest");
  await runNodeScript(
    [graphCli, "codegen", "subgraph.yaml", "--output-dir", "generated"],
    cwd,
    "graph codegen",
  );
  await runNodeScript(
    [graphCli, "build", "subgraph.yaml", "--output-dir", "build"],
    cwd,
    "graph build",
  );
}

/** A secret kept in a file of the data dir (mode 600): read when there, else made and written. */
function keptSecret(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = make();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function setIntervalMining(rpcUrl: string, intervalMs: number): Promise<void> {
  for (const [method, params] of [
    ["evm_setAutomine", [false]],
    ["evm_setIntervalMining", [intervalMs]],
  ] as const) {
    await callJsonRpc(rpcUrl, method, params);
  }
}

/** A gateway log record (pino JSON) as one short line: level, message and the fields that say where. */
function gatewayLogLine(json: string): string {
  try {
    const record = JSON.parse(json) as Record<string, unknown>;
    const level = { 40: "warning", 50: "error", 60: "fatal" }[Number(record.level)] ?? "log";
    const context = ["adapter", "deviceId", "reason", "detail", "containerId", "err"]
      .filter((key) => record[key] !== undefined)
      .map((key) => {
        const value = record[key];
        const text =
          typeof value === "object" && value !== null && "message" in value
            ? String(value.message)
            : typeof value === "string"
              ? value
              : JSON.stringify(value);
        return `${key}=${text}`;
      });
    return `gateway ${level}: ${String(record.msg)}${context.length > 0 ? ` (${context.join(", ")})` : ""}`;
  } catch {
    return `gateway: ${json.trim()}`;
  }
}

/**
 * Deploys the contracts with Ignition on the demo node. Ignition's journal is thrown away
 * afterwards (the chain journal is what a restart needs); a unique id keeps concurrent starts
 * (tests) from sharing one.
 */
async function deployDemoContracts(
  rpcUrl: string,
  gatewayPort: number,
  progress: (text: string) => void,
): Promise<{ chainId: number; deployments: Deployments }> {
  progress("deploying contracts with Ignition …");
  const { network } = await import("hardhat");
  const { deployContracts } = await import("../deploy/deploy.ts");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  const deploymentId = `ei-start-${randomBytes(6).toString("hex")}`;
  try {
    return await deployContracts(connection, {
      deploymentId,
      baseUri: `http://127.0.0.1:${gatewayPort}/v1/tokens/{id}.json`,
    });
  } finally {
    await connection.close();
    await rm(path.join(projectRoot, "ignition", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
  }
}

async function setNextBlockTimestamp(rpcUrl: string, timestamp: number): Promise<void> {
  await callJsonRpc(rpcUrl, "evm_setNextBlockTimestamp", [timestamp]);
}

/** Freezes the chain for the journal's last catch-up: no more interval blocks, pending ones mined. */
async function freezeChain(rpcUrl: string): Promise<void> {
  const call = (method: string, params: unknown[]) => callJsonRpc(rpcUrl, method, params);
  await call("evm_setIntervalMining", [0]);
  const pending = (await call("eth_getBlockByNumber", ["pending", false])) as {
    transactions: unknown[];
  } | null;
  if (pending !== null && pending.transactions.length > 0) await call("evm_mine", []);
}

/** The demo operator's portal sign-in that the first run created, from its secrets folder. */
async function readDemoPortalUser(
  dataDir: string,
): Promise<{ username: string; password: string; passwordFile: string }> {
  const passwordFile = path.join(dataDir, "secrets", "portal-demo-password");
  const password = (await readFile(passwordFile, "utf8")).trim();
  return { username: DEMO_PORTAL_USERNAME, password, passwordFile };
}

/**
 * Creates the demo site's portal operator with a password generated for this data directory and
 * kept in its secrets folder (mode 600), so the portal can be tried without `ei portal user add`.
 */
async function createDemoPortalUser(
  dataDir: string,
): Promise<{ username: string; password: string; passwordFile: string }> {
  const password = generatePortalPassword();
  const secretsDir = path.join(dataDir, "secrets");
  await mkdir(secretsDir, { recursive: true });
  const passwordFile = path.join(secretsDir, "portal-demo-password");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await addPortalUser({
    dataDir: path.join(dataDir, "dapp"),
    username: DEMO_PORTAL_USERNAME,
    displayName: "Demo operator",
    siteId: DEMO_SITE_ID,
    role: "operator",
    password,
  });
  return { username: DEMO_PORTAL_USERNAME, password, passwordFile };
}

/**
 * Starts the whole embedded stack on 127.0.0.1: the dapp built if its sources
 * changed, a Hardhat node mining a block a second, the contracts deployed with
 * Ignition, the demo factory registered on chain (site, machines, devices,
 * products, oracle), the gateway (MQTT, HTTP, SQLite, Helia, anchoring, job
 * stamping, lot minting), the embedded indexer with its GraphQL server, the
 * factory's metering simulated in each device's own protocol, the production
 * schedule stamping jobs through the API and SMS, and `next start`. Each part
 * started is stopped again if a later one fails, so a failed start leaves
 * nothing running.
 */
export async function startStack(options: StartStackOptions): Promise<RunningStack> {
  const startedAt = performance.now();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest: one part failing to close must not leave others running.
      }
    }
    stops.length = 0;
  };
  /**
   * Lets `starting` run beside the steps that follow; its stop is registered at once, so a step
   * failing before it is awaited still stops it.
   */
  const inBackground = <T>(starting: Promise<T>, stop: (value: T) => Promise<void>): Promise<T> => {
    starting.catch(() => undefined);
    stops.push(async () => {
      const value = await starting.catch(() => undefined);
      if (value !== undefined) await stop(value);
    });
    return starting;
  };
  const skipped: { name: string; reason: string }[] = [];
  const services: StackService[] = [];
  const timings: RunningStack["timings"] = { dappBuildMs: undefined, dappBuilt: false };
  const ports = {
    chain: options.portBase,
    gateway: options.portBase + 1,
    mqtt: options.portBase + 2,
    subgraph: options.portBase + 3,
    dapp: options.portBase + 4,
  };
  // The dapp listens on 127.0.0.1 only, but is named `localhost`: browsers refuse an IP address as
  // a WebAuthn relying-party id, so passkeys work only under a host name (localhost is a secure
  // context, like https, and resolves to the loopback address).
  const dappUrl = `http://localhost:${ports.dapp}`;
  try {
    await mkdir(options.dataDir, { recursive: true });
    // A run to resume: its node is started with the same genesis and its chain journal replayed.
    const previous = await claimDataDir(options.dataDir, options.reset === true);
    const initialDate = previous?.initialDate ?? new Date().toISOString();
    const journalFile = path.join(options.dataDir, CHAIN_JOURNAL_FILE);
    const journal = previous === undefined ? undefined : await readChainJournal(journalFile);
    if (journal !== undefined) {
      if (journal.header.initialDate !== initialDate)
        throw new Error(
          `the chain journal ${journalFile} was written for a chain that began ${journal.header.initialDate}, not ${initialDate}`,
        );
      options.progress(
        `resuming ${options.dataDir}: its chain journal holds ${journal.head} blocks${journal.tornTail ? " (a torn last line from a crash was dropped)" : ""}`,
      );
    }

    // The dapp builds first: a broken build fails before anything is started.
    const dappMissing = options.noDapp === true ? "--no-dapp" : missingDappReason();
    if (dappMissing === undefined) {
      const build = await buildDappIfChanged({ progress: options.progress });
      timings.dappBuildMs = build.seconds * 1000;
      timings.dappBuilt = build.built;
      if (build.built) options.progress(`dapp: built in ${build.seconds.toFixed(0)} s`);
    } else {
      skipped.push({ name: "dapp", reason: dappMissing });
    }

    // The demo operator's portal user, created as `ei portal user add` creates one; its scrypt
    // hash (128 MiB, about a second) runs beside the chain's start-up.
    const portalUserCreating =
      dappMissing === undefined
        ? previous === undefined
          ? createDemoPortalUser(options.dataDir)
          : readDemoPortalUser(options.dataDir)
        : Promise.resolve(undefined);
    portalUserCreating.catch(() => undefined);

    // Independent steps run side by side; whatever started is stopped if another one fails.
    options.progress(
      `starting a Hardhat node on 127.0.0.1:${ports.chain} and the factory's meters (DSMR P1, SNMP PDU, SunSpec inverter) …`,
    );
    const secretsDir = path.join(options.dataDir, "secrets");
    const nodeStarting = startHardhatNode({ port: ports.chain, initialDate });
    const polledStarting = startPolledDevices({ secretsDir });
    // Loading Ignition's, the gateway's and the indexer's modules takes seconds of this process's
    // time; done now, it overlaps the child processes' start instead of following it.
    const modulesLoading = Promise.all([
      import("hardhat"),
      import("../deploy/deploy.ts"),
      import("@energy-intelligence/oracle/server"),
      import("../../subgraph/src/host/startEmbeddedIndexer.ts"),
    ]);
    const prepared = await Promise.allSettled([
      nodeStarting,
      polledStarting,
      modulesLoading,
      buildContracts(options.progress).then(() => ensureSubgraphBuilt(options.progress)),
    ]);
    const [nodeResult, polledResult] = prepared;
    if (polledResult.status === "fulfilled") stops.push(() => polledResult.value.close());
    if (nodeResult.status === "fulfilled") stops.push(() => nodeResult.value.stop());
    const failed = prepared.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    const node = await nodeStarting;
    const polled = await polledStarting;

    // Every block from here on goes to the chain journal, so a restart can mine the chain again.
    let journalWriter: ChainJournalWriter;
    if (journal === undefined) {
      await mkdir(path.dirname(journalFile), { recursive: true });
      const genesis = await createPublicClient({ transport: http(node.rpcUrl) }).getBlock({
        blockNumber: 0n,
      });
      journalWriter = await ChainJournalWriter.create(journalFile, {
        chainId: node.chainId,
        initialDate,
        genesisHash: genesis.hash,
      });
      // The node's clock starts at the genesis date, which is behind by the seconds the node took
      // to start (a minute on a busy machine): from the first block on, chain time is the present.
      await setNextBlockTimestamp(
        node.rpcUrl,
        Math.max(Math.floor(Date.now() / 1000), Number(genesis.timestamp) + 1),
      );
    } else {
      options.progress(`replaying the chain journal: ${journal.head} blocks …`);
      const replayStarted = performance.now();
      await replayChainJournal({
        rpcUrl: node.rpcUrl,
        journal,
        progress: (done, total) => {
          options.progress(`replaying the chain journal: block ${done} of ${total}`);
        },
      });
      options.progress(
        `chain rebuilt to block ${journal.head} in ${((performance.now() - replayStarted) / 1000).toFixed(1)} s`,
      );
      await checkGatewayStoreAgainstChain(path.join(options.dataDir, "gateway"), journal.head);
      journalWriter = await ChainJournalWriter.append(journalFile, journal);
    }
    const recorder = startChainRecorder({
      rpcUrl: node.rpcUrl,
      journal: journalWriter,
      fromBlock: (journal?.head ?? 0) + 1,
      onError: (error) => {
        options.progress(`chain journal: ${error.message}`);
      },
    });
    // Stopped after every service (so the journal holds every block they saw) and before the
    // node: the chain is frozen first, what is still pending mined, and the journal caught up.
    stops.push(async () => {
      try {
        await freezeChain(node.rpcUrl);
      } finally {
        await recorder.stop();
      }
    });

    const { writeDeployments } = await import("../deploy/writeDeployments.ts");
    const deploymentsDir = path.join(options.dataDir, "deployments");
    await mkdir(secretsDir, { recursive: true });
    const portalRelayKeyFile = path.join(secretsDir, "portal-relay.key");
    let deployed: { chainId: number; deployments: Deployments };
    let deploymentsFile: string;
    if (previous === undefined) {
      deployed = await deployDemoContracts(node.rpcUrl, ports.gateway, options.progress);
      // The dapp's web portal relays its users' stamps signed by a key with the site's operator role.
      await writeFile(portalRelayKeyFile, DEMO_KEYS.operator, { mode: 0o600 });
      deploymentsFile = await writeDeployments(
        deploymentsDir,
        deployed.chainId,
        deployed.deployments,
      );
    } else {
      // Deployed and registered by the first run: the contracts are on the replayed chain.
      deploymentsFile = path.join(deploymentsDir, `${previous.chainId}.json`);
      deployed = {
        chainId: previous.chainId,
        deployments: deploymentsSchema.parse(JSON.parse(await readFile(deploymentsFile, "utf8"))),
      };
      if (
        deployed.deployments.EnergyRegistry.address.toLowerCase() !==
        previous.registry.toLowerCase()
      )
        throw new Error(
          `${deploymentsFile} names another EnergyRegistry than ${STATE_FILE} (${previous.registry})`,
        );
    }

    // The indexer and `next start` need only the deployments and the ports, so they start now and
    // come up while the factory is registered and the gateway starts (the dapp reads the gateway
    // and the subgraph per request, and says so on a page while either is still starting).
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const subgraphUrl = `http://127.0.0.1:${ports.subgraph}/subgraphs/name/${SUBGRAPH_NAME}`;
    options.progress("starting the embedded indexer …");
    const { startEmbeddedIndexer } =
      await import("../../subgraph/src/host/startEmbeddedIndexer.ts");
    const indexerStarting = inBackground(
      startEmbeddedIndexer({
        client: createPublicClient({
          transport: http(node.rpcUrl, { batch: true, retryCount: 3 }),
        }),
        deployments: deployed.deployments,
        network: "hardhat",
        dataDir: path.join(options.dataDir, "subgraph"),
        name: SUBGRAPH_NAME,
        port: ports.subgraph,
        pollIntervalMs: 500,
        onError: (error) => {
          options.progress(
            `indexer: ${error instanceof Error ? error.message : String(error)} (retrying)`,
          );
        },
      }),
      (indexer) => indexer.close(),
    );
    let dappStarting: Promise<RunningDapp> | undefined;
    let portalUser: Awaited<typeof portalUserCreating> = undefined;
    if (dappMissing === undefined) {
      // In the portal's database before the dapp opens it.
      portalUser = await portalUserCreating;
      options.progress(`starting the dapp (next start) on 127.0.0.1:${ports.dapp} …`);
      dappStarting = inBackground(
        startDapp({
          port: ports.dapp,
          env: {
            ...dappEnv({
              subgraphUrl,
              gatewayUrl,
              ipfsGatewayUrl: gatewayUrl,
              chainId: deployed.chainId,
              rpcUrl: node.rpcUrl,
              deploymentsFile: path.resolve(deploymentsFile),
              publicUrl: dappUrl,
            }),
            EI_PORTAL_ORIGIN: dappUrl,
            EI_DAPP_DATA_DIR: path.resolve(options.dataDir, "dapp"),
            EI_PORTAL_RELAY_KEY_FILE: path.resolve(portalRelayKeyFile),
          },
          progress: options.progress,
        }),
        (dapp) => dapp.stop(),
      );
    }

    // The injection molder's monitor signs its own messages (Ed25519), the others are read by adapters.
    const { CtClampDevice, LOAD_PROFILES } =
      await import("@energy-intelligence/oracle/sim/ctClampDevice");
    const molderProfile = LOAD_PROFILES["injection-molder"];
    if (molderProfile === undefined) throw new Error("unknown load profile injection-molder");
    const seed = "ei-demo";
    const molderClamp = new CtClampDevice({
      seed,
      index: 0,
      phases: 3,
      profile: molderProfile,
      startMs: 0,
    });
    const adapterDevices = [
      { ...DEMO_DEVICES.cncEmon, machineId: DEMO_MACHINES.cnc.machineId, scheme: "serial" },
      {
        ...DEMO_DEVICES.compressorEmon,
        machineId: DEMO_MACHINES.compressor.machineId,
        scheme: "serial",
      },
      { ...DEMO_DEVICES.mainMeter, machineId: DEMO_MACHINES.incomer.machineId, scheme: "serial" },
      { ...DEMO_DEVICES.rackPdu, machineId: OVERHEAD_MACHINE_ID, scheme: "polled" },
      { ...DEMO_DEVICES.pvInverter, machineId: DEMO_MACHINES.pv.machineId, scheme: "polled" },
    ] as const;
    const relayerKeyFile = path.join(secretsDir, "relayer.key");
    const twilioTokenFile = path.join(secretsDir, "twilio-auth-token");
    // A resumed run keeps the relayer the first run funded and registered, and its Twilio token.
    const relayerKey =
      previous === undefined
        ? generatePrivateKey()
        : ((await readFile(relayerKeyFile, "utf8")).trim() as Hex);
    const twilioToken =
      previous === undefined
        ? randomBytes(16).toString("hex")
        : (await readFile(twilioTokenFile, "utf8")).trim();

    if (previous === undefined) {
      options.progress(
        "registering the demo factory on chain (site, machines, devices, products) …",
      );
      await registerDemoSite({
        rpcUrl: node.rpcUrl,
        chainId: deployed.chainId,
        registry: deployed.deployments.EnergyRegistry.address,
        siteId: DEMO_SITE_ID,
        siteName: DEMO_SITE_NAME,
        machines: Object.values(DEMO_MACHINES),
        devices: [
          {
            deviceId: molderClamp.deviceId,
            machineId: DEMO_MACHINES.molder.machineId,
            kind: deviceKindCode("ct-clamp"),
            keyHash: deviceKeyHash({ scheme: "ed25519", publicKey: molderClamp.publicKey }),
          },
          ...adapterDevices.map((device): DemoDevice => ({
            deviceId: device.deviceId,
            machineId: device.machineId,
            kind: deviceKindCode(device.kind),
            keyHash: deviceKeyHash({ scheme: device.scheme }),
          })),
        ],
        products: DEMO_PRODUCTS,
        relayer: privateKeyToAccount(relayerKey).address,
      });
    }

    // Deployment and registration ran on automine (a block per transaction, so in seconds); from
    // here on the chain runs as in production: a block a second, whatever arrives.
    await setIntervalMining(node.rpcUrl, 1000);

    // Secrets the gateway reads from files, as in production (never from its config).
    if (previous === undefined) {
      await writeFile(relayerKeyFile, relayerKey, { mode: 0o600 });
      await writeFile(twilioTokenFile, twilioToken, { mode: 0o600 });
    }
    const smsWebhookUrl = `http://127.0.0.1:${ports.gateway}/v1/sms/twilio`;

    // Devices are registered in the gateway's store before it starts: adapters refuse unknown ones.
    const gatewayDir = path.join(options.dataDir, "gateway");
    const { openStore } = await import("@energy-intelligence/oracle/store/openStore");
    const { DevicesRepository } =
      await import("@energy-intelligence/oracle/store/devicesRepository");
    const { ApiKeysRepository } = await import("@energy-intelligence/oracle/jobs/apiKeys");
    const setupDb = openStore({ dataDir: gatewayDir });
    let apiKey: string;
    let molderResumeAt: { nextSequence: number; energyMilliWattHours: bigint[] } | undefined;
    try {
      const devices = new DevicesRepository(setupDb);
      // Devices are in a resumed run's store already; a new API key is made each start, since
      // only its hash is kept.
      if (previous === undefined) {
        devices.add({
          deviceId: molderClamp.deviceId,
          siteId: DEMO_SITE_ID,
          machineId: DEMO_MACHINES.molder.machineId,
          kind: "ct-clamp",
          authScheme: "ed25519",
          publicKey: molderClamp.publicKey,
          channelCount: 3,
        });
        for (const device of adapterDevices) {
          devices.add({
            deviceId: device.deviceId,
            siteId: DEMO_SITE_ID,
            machineId: device.machineId,
            kind: device.kind,
            authScheme: device.scheme,
            channelCount: device.channels,
          });
        }
      }
      if (previous !== undefined) molderResumeAt = readSignedMonitorState(setupDb, molderClamp);
      // The demo MES keeps one key across restarts (the store keeps only its hash), rather than
      // leaving a valid key behind each start.
      apiKey = keptSecret(
        path.join(secretsDir, "demo-mes-api-key"),
        () =>
          new ApiKeysRepository(setupDb).create({
            siteId: DEMO_SITE_ID,
            name: "demo MES",
            scopes: ["jobs:write"],
          }).key,
      );
    } finally {
      setupDb.close();
    }
    // The first run's setup is complete: from now on the data directory can be resumed.
    if (previous === undefined)
      await recordStartState(options.dataDir, {
        format: "ei-start-state-v2",
        startedAt: new Date().toISOString(),
        chainId: deployed.chainId,
        registry: deployed.deployments.EnergyRegistry.address,
        initialDate,
      });

    const channelsOf = (deviceId: Hex, count: number, from = 0) =>
      Array.from({ length: count }, (_, index) => ({ deviceId, channel: from + index }));
    const location = { region: "egrid:CAMX", policy: "latest-available" } as const;
    const streams = [
      {
        siteId: DEMO_SITE_ID,
        streamId: DEMO_MACHINES.cnc.machineId,
        channels: channelsOf(DEMO_DEVICES.cncEmon.deviceId, 3),
        location,
      },
      {
        siteId: DEMO_SITE_ID,
        streamId: DEMO_MACHINES.molder.machineId,
        channels: channelsOf(molderClamp.deviceId, 3),
        location,
      },
      {
        siteId: DEMO_SITE_ID,
        streamId: DEMO_MACHINES.compressor.machineId,
        channels: channelsOf(DEMO_DEVICES.compressorEmon.deviceId, 1),
        location,
      },
      {
        // The site's supply: the grid import at the incomer and the rooftop PV's production,
        // netted hour by hour (market-based, ei-container-v3).
        siteId: DEMO_SITE_ID,
        streamId: demoId("stream/site-supply"),
        channels: [
          { deviceId: DEMO_DEVICES.mainMeter.deviceId, channel: 0 },
          {
            deviceId: DEMO_DEVICES.pvInverter.deviceId,
            channel: 0,
            role: "generation" as const,
            source: "solar" as const,
          },
        ],
        location,
      },
      {
        // Channel 0 is the PDU's inlet total; the outlets (1…3) are part of it.
        siteId: DEMO_SITE_ID,
        streamId: demoId("stream/it-rack"),
        channels: channelsOf(DEMO_DEVICES.rackPdu.deviceId, 1),
        location,
      },
    ];

    options.progress("starting the gateway …");
    const { loadGatewayConfig } =
      await import("@energy-intelligence/oracle/config/loadGatewayConfig");
    const { startGateway } = await import("@energy-intelligence/oracle/server");
    const config = loadGatewayConfig({
      overrides: {
        dataDir: gatewayDir,
        http: { port: ports.gateway },
        mqtt: { mode: "embedded", port: ports.mqtt },
        log: { level: "warn" },
        containers: {
          periodMs: options.periodMs,
          graceMs: Math.min(5_000, options.periodMs),
          checkIntervalMs: 500,
          streams,
        },
        chain: {
          rpcUrl: node.rpcUrl,
          deploymentsFile,
          confirmations: 1,
          pollIntervalMs: 500,
        },
        adapters: [
          ...polled.adapters,
          emonAdapter({
            name: "cnc-mill-emontx",
            deviceId: DEMO_DEVICES.cncEmon.deviceId,
            node: "emontx-cnc",
            inputs: 3,
          }),
          emonAdapter({
            name: "compressor-emontx",
            deviceId: DEMO_DEVICES.compressorEmon.deviceId,
            node: "emontx-compressor",
            inputs: 1,
          }),
        ],
        jobs: {
          enabled: true,
          relayerKeyFile,
          batchDelayMs: 500,
          pollIntervalMs: 250,
          directoryRefreshMs: 2000,
          sms: {
            authTokenFile: twilioTokenFile,
            webhookUrl: smsWebhookUrl,
            phones: [{ number: DEMO_PHONE, siteId: DEMO_SITE_ID, machines: ["*"] }],
          },
        },
        // Each stopped job becomes a one-job lot once its containers are confirmed.
        lots: { enabled: true, pollIntervalMs: 1000, retryMs: 2000 },
        // Every minted lot is published as a PACT v3 ProductFootprint; a buyer checks it on the dapp.
        pact: {
          enabled: true,
          geographyCountry: "US",
          ...(dappMissing === undefined ? { verifyUrl: `${dappUrl}/lot/{lotId}` } : {}),
        },
      },
    });
    const { createLogger } = await import("@energy-intelligence/oracle/logger");
    // The gateway's warnings go to stderr as one readable line each: stdout is for `name: url`.
    const logger = createLogger({
      level: "warn",
      destination: {
        write: (line: string) => {
          options.progress(gatewayLogLine(line));
        },
      },
    });
    const gateway = await startGateway(config, { EI_ORACLE_KEY: DEMO_KEYS.oracle }, { logger });
    stops.push(() => gateway.close());
    if (gateway.mqttUrl === undefined) throw new Error("the gateway started without MQTT");
    if (gateway.oracleKey === undefined) throw new Error("the gateway started without its key");
    services.push(
      { name: "chain", url: node.rpcUrl },
      { name: "gateway", url: gateway.httpUrl },
      { name: "mqtt", url: gateway.mqttUrl },
      { name: "ipfs", url: `${gateway.httpUrl}/ipfs` },
    );

    if (gateway.lots === undefined) throw new Error("the gateway started without its lot minter");
    if (gateway.pact !== undefined) {
      // One demo buyer, so a PACT client can be pointed at the gateway right away.
      const { clients } = gateway.pact;
      const buyer = JSON.parse(
        keptSecret(path.join(secretsDir, "pact-demo-buyer.json"), () =>
          JSON.stringify(clients.create("demo buyer", Date.now())),
        ),
      ) as { clientId: string; clientSecret: string };
      options.progress(
        `pact: a demo buyer's credentials: client id ${buyer.clientId}, secret ${buyer.clientSecret} (POST ${gateway.pact.url}/auth/token)`,
      );
      services.push({ name: "pact", url: gateway.pact.url });
    }

    const indexer = await indexerStarting;
    if (indexer.url !== subgraphUrl || gateway.httpUrl !== gatewayUrl)
      throw new Error(
        `the dapp was given ${gatewayUrl} and ${subgraphUrl}, but the gateway and the indexer answer at ${gateway.httpUrl} and ${indexer.url}`,
      );
    services.push({ name: "subgraph", url: indexer.url });

    options.progress("starting the simulated factory (emonTx over MQTT, a signing CT clamp) …");
    const emon = {
      cnc: await startEmonMonitor({
        mqttUrl: gateway.mqttUrl,
        node: "emontx-cnc",
        watts: [120, 115, 118],
        startWattHours: [1_250_000, 1_240_000, 1_262_000],
        intervalMs: 1000,
      }),
      compressor: await startEmonMonitor({
        mqttUrl: gateway.mqttUrl,
        node: "emontx-compressor",
        watts: [1_200],
        startWattHours: [3_400_000],
        intervalMs: 1000,
      }),
    } satisfies Record<string, EmonMonitor>;
    stops.push(
      () => emon.cnc.close(),
      () => emon.compressor.close(),
    );
    const factory: LiveFactory = await runLiveFactory({
      mqttUrl: gateway.mqttUrl,
      siteId: DEMO_SITE_ID,
      seed,
      machines: [{ phases: 3, profile: molderProfile, resumeAt: molderResumeAt }],
      stepMs: 1000,
      onError: (error) => {
        options.progress(`factory: ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    stops.push(() => factory.stop());
    // The compressor cycles between loaded and unloaded on its own pressure switch.
    const compressorTimer = setInterval(() => {
      const loaded = Math.floor(Date.now() / 20_000) % 2 === 0;
      emon.compressor.setWatts([loaded ? 3_700 + Math.random() * 200 : 1_200]);
    }, 1000);
    stops.push(() => {
      clearInterval(compressorTimer);
      return Promise.resolve();
    });

    if (options.noJobs !== true) {
      const [bracket, housing] = DEMO_PRODUCTS;
      const schedule = runProductionSchedule({
        channels: {
          gatewayUrl: gateway.httpUrl,
          apiKey,
          sms: {
            authToken: twilioToken,
            webhookUrl: smsWebhookUrl,
            from: DEMO_PHONE,
            to: "+15555550199",
          },
        },
        runTag: randomBytes(2).toString("hex").toUpperCase(),
        machines: [
          {
            machine: DEMO_MACHINES.cnc.name,
            sku: bracket.sku,
            referencePrefix: "WO",
            // 20 s first, so a lot is minted within a minute of ready; then a minute or two.
            jobSeconds: [20, 60, 90, 120],
            repeatFrom: 1,
            changeoverSeconds: 10,
            unitsPerMinute: 12,
            channel: "api",
            onRunning: (running) => {
              emon.cnc.setWatts(running ? [2_400, 2_350, 2_450] : [120, 115, 118]);
            },
          },
          {
            machine: DEMO_MACHINES.molder.name,
            sku: housing.sku,
            referencePrefix: "SMS",
            jobSeconds: [30, 90, 120, 60],
            repeatFrom: 1,
            changeoverSeconds: 15,
            unitsPerMinute: 4,
            channel: "sms",
          },
        ],
        report: options.progress,
      });
      stops.push(() => schedule.stop());
    } else {
      skipped.push({ name: "jobs", reason: "--no-jobs" });
    }

    let portal: RunningStack["portal"];
    if (dappStarting !== undefined) {
      // Answers on 127.0.0.1 (startDapp waited for it); printed under the name it is served as.
      await dappStarting;
      services.push({ name: "dapp", url: dappUrl });
      if (portalUser !== undefined) {
        portal = { url: `${dappUrl}/operator/portal`, ...portalUser };
        services.push({ name: "portal", url: portal.url });
      }
    }

    options.progress(`started in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

    return {
      services,
      skipped,
      ...(portal === undefined ? {} : { portal }),
      timings,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
