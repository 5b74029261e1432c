import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "better-sqlite3";
import { pino } from "pino";
import { createPublicClient, http } from "viem";
import {
  startHardhatNode,
  type HardhatNode,
} from "../../../../scripts/services/startHardhatNode.ts";
import {
  deployTestContracts,
  HARDHAT_ORACLE_KEY,
  type TestDeployment,
} from "../../chain/testing/deployTestContracts.ts";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { OracleKey } from "../../config/loadOracleKey.ts";
import type { z } from "zod";
import {
  chainConfigSchema,
  containersConfigSchema,
  type streamConfigSchema,
} from "../../containers/containersConfigSchema.ts";
import { createInlineWriter } from "../../ingest/inlineWriter.ts";
import type { IngestWriter } from "../../ingest/ingestTypes.ts";
import type { ContentStore } from "../../ipfs/contentStore.ts";
import { DevicesRepository } from "../../store/devicesRepository.ts";
import { openStore } from "../../store/openStore.ts";
import { TestDevice, TEST_SITE_ID } from "../../testing/deviceFixture.ts";
import { type AnchoringServices, startAnchoringServices } from "../startAnchoringServices.ts";

export const TEST_STREAM_ID = `0x${"5e".repeat(32)}` as const;

/** A stream over one single-channel test device, location factors for Germany (config-file form). */
export function testStream(device: TestDevice): z.input<typeof streamConfigSchema> {
  return {
    siteId: TEST_SITE_ID,
    streamId: TEST_STREAM_ID,
    channels: [{ deviceId: device.deviceId, channel: 0 }],
    location: { region: "DE" },
  };
}

/** A hardhat node with the contracts deployed and the test site's oracle registered. */
export async function startTestChain(
  directory: string,
  options: { blockIntervalMs?: number } = {},
): Promise<{
  node: HardhatNode;
  deployment: TestDeployment;
}> {
  const node = await startHardhatNode(
    options.blockIntervalMs === undefined ? {} : { blockIntervalMs: options.blockIntervalMs },
  );
  const deployment = await deployTestContracts({
    rpcUrl: node.rpcUrl,
    siteId: TEST_SITE_ID,
    directory,
  });
  return { node, deployment };
}

export interface TestSite {
  dataDir: string;
  db: Database;
  device: TestDevice;
  writer: IngestWriter;
  services: AnchoringServices;
  /** Ingests `count` readings (1 s apart) in messages of `perMessage`. */
  ingest(count: number, perMessage?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A gateway's store, ingest writer and anchoring services in-process, on real
 * parts: SQLite in a temp dir, Helia on disk, the given chain.
 */
export async function openTestSite(parameters: {
  rpcUrl: string;
  deployment: TestDeployment;
  startMs: number;
  periodMs?: number;
  confirmations?: number;
  maxBatchContainers?: number;
  replaceAfterMs?: number;
  store?: (dataDir: string) => Promise<ContentStore>;
  dataDir?: string;
  oracleKey?: `0x${string}`;
}): Promise<TestSite> {
  const dataDir = parameters.dataDir ?? mkdtempSync(path.join(tmpdir(), "ei-anchor-"));
  const db = openStore({ dataDir });
  const devices = new DevicesRepository(db);
  const device = new TestDevice(0, { channelCount: 1, startMs: parameters.startMs });
  if (devices.get(device.deviceId) === undefined) device.register(devices);
  const deviceRef = devices.get(device.deviceId)?.deviceRef ?? 0;
  const writer = createInlineWriter(db);
  const services = await startAnchoringServices({
    db,
    dataDir,
    containers: containersConfigSchema.parse({
      periodMs: parameters.periodMs ?? 10_000,
      graceMs: 1000,
      checkIntervalMs: 3_600_000,
      streams: [testStream(device)],
    }),
    ipfs: { mode: "helia" },
    chain: chainConfigSchema.parse({
      rpcUrl: parameters.rpcUrl,
      containersAddress: parameters.deployment.containers,
      confirmations: parameters.confirmations ?? 2,
      maxBatchContainers: parameters.maxBatchContainers ?? 100,
      replaceAfterMs: parameters.replaceAfterMs,
      pollIntervalMs: 50,
      requestTimeoutMs: 1000,
      backoffInitialMs: 50,
      backoffMaxMs: 1000,
    }),
    oracleKey: new OracleKey(parameters.oracleKey ?? HARDHAT_ORACLE_KEY, "env"),
    logger: pino({ level: process.env.EI_TEST_LOG ?? "silent" }),
    store: parameters.store === undefined ? undefined : await parameters.store(dataDir),
  });
  return {
    dataDir,
    db,
    device,
    writer,
    services,
    async ingest(count, perMessage = 10) {
      for (let sent = 0; sent < count; sent += perMessage) {
        const message = device.message(Math.min(perMessage, count - sent));
        await writer.write([{ deviceRef, transport: "http", receivedAtMs: Date.now(), message }]);
      }
    },
    async close() {
      await services.close();
      await writer.close();
      db.close();
      if (parameters.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` holds, polling; throws with `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** For every container row: the chain holds its commitment, the content store its document. */
export async function assertChainStoreIpfsAgree(
  site: { db: Database; services: AnchoringServices },
  rpcUrl: string,
  containersAddress: `0x${string}`,
): Promise<{ checked: number }> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const rows = site.services.containers.list({ limit: 100_000 });
  for (const row of rows) {
    const commitment = await client.readContract({
      address: containersAddress,
      abi: dataContainersAbi,
      functionName: "commitmentOf",
      args: [BigInt(row.containerId)],
    });
    if (commitment !== row.headerHash)
      throw new Error(
        `container ${row.containerRef}: chain ${commitment}, store ${row.headerHash}`,
      );
    const { parseCid } = await import("@energy-intelligence/sdk");
    const bytes = await site.services.store.getBlock(parseCid(row.cid));
    const document = site.services.containers.document(row.containerRef);
    if (bytes === undefined || Buffer.compare(Buffer.from(bytes), Buffer.from(document)) !== 0) {
      throw new Error(`container ${row.containerRef}: IPFS does not hold its document`);
    }
  }
  return { checked: rows.length };
}
