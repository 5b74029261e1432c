/**
 * The embedded indexer against a Hardhat (EDR) chain and the compiled mappings in subgraph/build
 * (`npm run build -w subgraph`): every event type lands in its entities, a reorg rolls entities back,
 * a restart resumes without double counting, a failing handler fails the subgraph (and a reorg that
 * removes the failed block clears the failure), and unsupported manifest features are refused.
 */
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { network } from "hardhat";
import {
  createPublicClient,
  custom,
  http,
  toEventSelector,
  type Hex,
  type PublicClient,
} from "viem";
import {
  DEVICE_ID,
  MACHINE_ID,
  PRODUCT_ID,
  SITE_ID,
  STREAM_ID,
  deployAll,
  id,
  makeFootprint,
  makeHeader,
  signBatch,
  signFootprint,
  type ContainerHeader,
  type Fixture,
} from "../../../test/contracts/fixture.ts";
import { SCHEMA_FILE, openEntityStore, type EntityStore } from "../store/openEntityStore.ts";
import { QueryEngine } from "../query/queryEngine.ts";
import { startQueryServer } from "../query/queryServer.ts";
import { Indexer } from "./indexer.ts";
import { DEFAULT_BUILD_DIR, readBuiltManifest } from "./readBuiltManifest.ts";
import { startEmbeddedIndexer } from "./startEmbeddedIndexer.ts";
import { serveChainOverHttp } from "./testing/serveChainOverHttp.ts";

const connection = await network.create();
const { viem } = connection;
const dirs: string[] = [];
after(async () => {
  await connection.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ei-indexer-"));
  dirs.push(dir);
  return path.join(dir, "subgraph.sqlite");
}

function deploymentsOf(f: Fixture, startBlock: number) {
  const entry = (address: Hex) => ({ address, startBlock });
  return {
    EnergyRegistry: entry(f.registry.address),
    DataContainers: entry(f.containers.address),
    JobStamps: entry(f.jobs.address),
    ProductLots: entry(f.lots.address),
    AuditAttestations: entry(f.attestations.address),
  };
}

async function setup(options: { file?: string; schemaSdl?: string } = {}) {
  const publicClient = (await viem.getPublicClient()) as unknown as PublicClient;
  const startBlock = Number(await publicClient.getBlockNumber()) + 1;
  const f = await deployAll(viem);
  const file = options.file ?? (await tempFile());
  const deployments = deploymentsOf(f, startBlock);
  const open = async (store: EntityStore) =>
    Indexer.create({
      client: publicClient,
      store,
      deployments,
      network: "hardhat",
      blockRange: 7,
    });
  const store = openEntityStore(file, options.schemaSdl);
  return { f, file, store, indexer: await open(store), publicClient, open, deployments };
}

async function anchor(f: Fixture, headers: ContainerHeader[]): Promise<void> {
  const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
  await f.containers.write.anchorMany([headers, f.oracle.account.address, signature]);
}

/** A job started and stopped on the machine, and its product lot minted. */
async function stampAndMint(f: Fixture, job: string): Promise<void> {
  const asOperator = { account: f.operator.account };
  await f.jobs.write.startJob([SITE_ID, id(job), [MACHINE_ID], PRODUCT_ID], asOperator);
  await f.jobs.write.stopJob([SITE_ID, id(job), PRODUCT_ID, 5n], asOperator);
  const footprint = makeFootprint({ jobIds: [id(job)], units: 5n, nonce: 7n });
  await f.lots.write.mint([
    footprint,
    f.oracle.account.address,
    await signFootprint(viem, f.oracle, f.lots.address, footprint),
  ]);
}

async function containerIdOf(f: Fixture, header: ContainerHeader): Promise<string> {
  const value = await f.containers.read.containerId([
    header.siteId,
    header.streamId,
    header.periodStart,
    header.periodEnd,
    header.revision,
  ]);
  return value.toString();
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

const sum = (...values: bigint[]) => values.reduce((a, b) => a + b, 0n).toString();
const DAY = Math.floor(Number(makeHeader(0).periodStart) / 86400);

describe("Indexer", () => {
  it("indexes every event type of the five contracts into the expected entities", async () => {
    const { f, store, indexer, publicClient } = await setup();
    const asManager = { account: f.manager.account };
    const asOperator = { account: f.operator.account };
    const asOwner = { account: f.owner.account };
    const key2 = id("key:2");
    await f.registry.write.rotateDeviceKey([DEVICE_ID, key2], asManager);

    // Figures beyond 64 bits (uint128 on chain) too: the aggregates add small ones in the mapping's
    // i64 and hand larger ones to BigInt, removing (the superseded onMachine) as well as adding.
    const onMachine = makeHeader(0, {
      streamId: MACHINE_ID,
      emissionsMarketMilligramsCo2e: 2n ** 100n,
    });
    const onDevice = makeHeader(1, { streamId: DEVICE_ID });
    const onStream = makeHeader(2, { emissionsMarketMilligramsCo2e: 2n ** 100n + 5n });
    await anchor(f, [onMachine, onDevice, onStream]);
    const correction = makeHeader(0, {
      streamId: MACHINE_ID,
      revision: 1,
      supersedes: BigInt(await containerIdOf(f, onMachine)),
      energyImportedMilliWattHours: 999n,
      emissionsLocationMilligramsCo2e: 50n,
      emissionsMarketMilligramsCo2e: 40n,
      energyExportedMilliWattHours: 7n,
    });
    await anchor(f, [correction]);
    await f.containers.write.setBaseUri(["ipfs://containers/{id}.json"]);

    await f.jobs.write.startJob([SITE_ID, id("job:1"), [MACHINE_ID], PRODUCT_ID], asOperator);
    await f.jobs.write.stopJob([SITE_ID, id("job:1"), PRODUCT_ID, 100n], asOperator);
    await f.jobs.write.setClockRules([3600n, 60n]);
    const footprint = makeFootprint();
    await f.lots.write.mint([
      footprint,
      f.oracle.account.address,
      await signFootprint(viem, f.oracle, f.lots.address, footprint),
    ]);
    const lotId = (await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, footprint.jobIds])).toString();
    await f.lots.write.safeTransferFrom(
      [f.owner.account.address, f.stranger.account.address, BigInt(lotId), 30n, "0x"],
      asOwner,
    );
    // A second lot, so that the batch transfer has two ids (OpenZeppelin logs one id as TransferSingle).
    await f.jobs.write.startJob([SITE_ID, id("job:2"), [MACHINE_ID], PRODUCT_ID], asOperator);
    await f.jobs.write.stopJob([SITE_ID, id("job:2"), PRODUCT_ID, 10n], asOperator);
    const footprint2 = makeFootprint({ jobIds: [id("job:2")], units: 10n, nonce: 1n });
    await f.lots.write.mint([
      footprint2,
      f.oracle.account.address,
      await signFootprint(viem, f.oracle, f.lots.address, footprint2),
    ]);
    const lot2Id = (await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, footprint2.jobIds])).toString();
    await f.lots.write.safeBatchTransferFrom(
      [
        f.owner.account.address,
        f.relayer.account.address,
        [BigInt(lotId), BigInt(lot2Id)],
        [20n, 4n],
        "0x",
      ],
      asOwner,
    );
    await f.lots.write.setBaseUri(["ipfs://lots/{id}.json"]);
    const asAuditor = { account: f.auditor.account };
    await f.attestations.write.attest(
      [1, BigInt(await containerIdOf(f, onDevice)), 1, "0x0155"],
      asAuditor,
    );
    await f.attestations.write.attest([2, BigInt(lotId), 3, "0x0155"], asAuditor);
    await f.registry.write.rotateOracle(
      [SITE_ID, f.oracle.account.address, f.relayer.account.address],
      asManager,
    );
    await f.registry.write.setSiteOwner([SITE_ID, f.stranger.account.address], asManager);

    const result = await indexer.syncOnce();
    assert.equal(result.failed, null);
    const latest = Number(await publicClient.getBlockNumber());
    assert.equal(result.head, latest);
    assert.equal(store.getMeta("head_block_number"), String(latest));
    assert.equal(store.getMeta("head_block_hash"), (await publicClient.getBlock()).hash);
    assert.equal(store.getMeta("has_indexing_errors"), "false");

    // Every event the manifest has a handler for occurred in this scenario.
    const manifest = await readBuiltManifest();
    const handled = new Set(
      manifest.flatMap((ds) => [...ds.handlers.values()].map((h) => `${ds.name}.${h.event.name}`)),
    );
    const seen = new Set<string>();
    for (const ds of manifest) {
      const address = deploymentsOf(f, 0)[ds.name as keyof ReturnType<typeof deploymentsOf>]
        .address;
      const logs = await publicClient.getLogs({ address, fromBlock: 0n });
      for (const spec of ds.handlers.values()) {
        if (logs.some((log) => log.topics[0] === toEventSelector(spec.event)))
          seen.add(`${ds.name}.${spec.event.name}`);
      }
    }
    assert.deepEqual([...seen].sort(), [...handled].sort());

    const lower = (hex: string) => hex.toLowerCase();
    const site = store.get("Site", SITE_ID);
    assert.ok(site !== null);
    assert.equal(site.name, "Berlin 1");
    assert.equal(site.owner, lower(f.stranger.account.address));
    assert.equal(site.manager, lower(f.manager.account.address));
    assert.equal(site.containerCount, 3);
    assert.equal(
      site.energyImportedMilliWattHours,
      sum(
        correction.energyImportedMilliWattHours,
        onDevice.energyImportedMilliWattHours,
        onStream.energyImportedMilliWattHours,
      ),
    );
    assert.equal(
      site.emissionsMarketMilligramsCo2e,
      sum(
        correction.emissionsMarketMilligramsCo2e,
        onDevice.emissionsMarketMilligramsCo2e,
        onStream.emissionsMarketMilligramsCo2e,
      ),
    );

    assert.equal(store.get("Machine", MACHINE_ID)?.name, "Press 7");
    const device = store.get("Device", DEVICE_ID);
    assert.equal(device?.machine, MACHINE_ID);
    assert.equal(device.currentKeyHash, key2);
    assert.notEqual(store.get("DeviceKey", `${DEVICE_ID}-${id("key:1")}`)?.untilBlock, null);
    assert.equal(store.get("DeviceKey", `${DEVICE_ID}-${key2}`)?.untilBlock, null);
    const product = store.get("Product", `${SITE_ID}-${PRODUCT_ID}`);
    assert.equal(product?.sku, "BRK-A");
    assert.equal(product.massPerDeclaredUnitMilligrams, "1000000");

    const oldOracle = store.get("Oracle", `${SITE_ID}-${lower(f.oracle.account.address)}`);
    assert.equal(oldOracle?.active, false);
    assert.notEqual(oldOracle.untilBlock, null);
    assert.equal(
      store.get("Oracle", `${SITE_ID}-${lower(f.relayer.account.address)}`)?.active,
      true,
    );
    assert.equal(
      store.get("RoleMember", `${f.oracleRole}-${lower(f.oracle.account.address)}`)?.active,
      false,
    );

    const originalId = await containerIdOf(f, onMachine);
    const correctionId = await containerIdOf(f, correction);
    const original = store.get("Container", originalId);
    assert.equal(original?.current, false);
    assert.equal(original.supersededBy, correctionId);
    assert.equal(original.owner, lower(f.owner.account.address));
    const corrected = store.get("Container", correctionId);
    assert.equal(corrected?.supersedes, originalId);
    assert.equal(corrected.revision, 1);
    assert.equal(corrected.current, true);
    assert.equal(corrected.day, DAY);
    assert.equal(store.get("Stream", `${SITE_ID}-${MACHINE_ID}`)?.machine, MACHINE_ID);
    assert.equal(store.get("Stream", `${SITE_ID}-${DEVICE_ID}`)?.device, DEVICE_ID);
    assert.equal(store.get("Stream", `${SITE_ID}-${STREAM_ID}`)?.machine, null);

    const siteDay = store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`);
    assert.equal(siteDay?.containerCount, 3);
    assert.equal(siteDay.energyImportedMilliWattHours, site.energyImportedMilliWattHours);
    const machineDay = store.get("MachineDailyEnergy", `${MACHINE_ID}-${DAY}`);
    // The correction replaced revision 0: counted once, with its own figures.
    assert.equal(machineDay?.containerCount, 1);
    assert.equal(machineDay.energyImportedMilliWattHours, "999");
    assert.equal(machineDay.emissionsLocationMilligramsCo2e, "50");
    const deviceDay = store.get("DeviceDailyEnergy", `${DEVICE_ID}-${DAY}`);
    assert.equal(
      deviceDay?.energyExportedMilliWattHours,
      onDevice.energyExportedMilliWattHours.toString(),
    );

    const job = store.get("Job", id("job:1"));
    assert.equal(job?.status, "stopped");
    assert.equal(job.units, "100");
    assert.deepEqual(job.machines, [MACHINE_ID]);
    assert.equal(job.lot, lotId);
    const stamps = store.db
      .prepare<[], { data: string }>(`SELECT data FROM "JobStamp" ORDER BY vid`)
      .all()
      .map((row) => JSON.parse(row.data) as Record<string, unknown>)
      .filter((stamp) => stamp.job === id("job:1"));
    assert.deepEqual(
      stamps.map((s) => [s.action, s.channel]),
      [
        ["start", 0],
        ["stop", 0],
      ],
    );
    assert.equal(stamps[1]?.time, stamps[1]?.blockTimestamp);

    const lot = store.get("ProductLot", lotId);
    assert.equal(lot?.units, "100");
    assert.equal(
      lot.energyPerUnitMilliWattHours,
      (footprint.energyMilliWattHours / 100n).toString(),
    );
    assert.deepEqual(lot.jobs, [id("job:1")]);
    assert.equal(
      store.get("LotHolder", `${lotId}-${lower(f.owner.account.address)}`)?.balance,
      "50",
    );
    assert.equal(
      store.get("LotHolder", `${lotId}-${lower(f.stranger.account.address)}`)?.balance,
      "30",
    );
    assert.equal(
      store.get("LotHolder", `${lotId}-${lower(f.relayer.account.address)}`)?.balance,
      "20",
    );
    const transfers = store.db
      .prepare<[], { n: number }>(`SELECT count(*) AS n FROM "LotTransfer"`)
      .get();
    assert.equal(transfers?.n, 5);
    assert.equal(
      store.get("LotHolder", `${lot2Id}-${lower(f.relayer.account.address)}`)?.balance,
      "4",
    );
    assert.equal(
      store.get("LotHolder", `${lot2Id}-${lower(f.owner.account.address)}`)?.balance,
      "6",
    );

    const attestations = store.db
      .prepare<[], { data: string }>(`SELECT data FROM "Attestation" ORDER BY vid`)
      .all()
      .map((row) => JSON.parse(row.data) as Record<string, unknown>);
    assert.deepEqual(
      attestations.map((a) => [a.subjectKind, a.verdict, a.container, a.lot]),
      [
        [1, 1, await containerIdOf(f, onDevice), null],
        [2, 3, null, lotId],
      ],
    );
    assert.equal(
      store.get("ContractSetting", `${lower(f.containers.address)}-baseUri`)?.value,
      "ipfs://containers/{id}.json",
    );
    assert.equal(
      store.get("ContractSetting", `${lower(f.jobs.address)}-maxStampAgeSeconds`)?.value,
      "3600",
    );
    store.close();
  });

  it("rolls entity changes back to the common ancestor after a reorg", async () => {
    const { f, store, indexer, publicClient } = await setup();
    await anchor(f, [makeHeader(0)]);
    await indexer.syncOnce();
    const before = store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`);
    const snapshot = await publicClient.request({ method: "evm_snapshot" as never });

    const orphan = makeHeader(5);
    await anchor(f, [orphan]);
    await indexer.syncOnce();
    assert.notEqual(store.get("Container", await containerIdOf(f, orphan)), null);
    assert.equal(store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`)?.containerCount, 2);

    await publicClient.request({ method: "evm_revert" as never, params: [snapshot] as never });
    const replacement = makeHeader(6);
    await anchor(f, [replacement]);
    await publicClient.request({ method: "hardhat_mine" as never, params: ["0x3"] as never });
    const result = await indexer.syncOnce();
    assert.ok(result.revertedBlocks > 0);
    assert.equal(store.get("Container", await containerIdOf(f, orphan)), null);
    assert.notEqual(store.get("Container", await containerIdOf(f, replacement)), null);
    const day = store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`);
    assert.equal(day?.containerCount, 2);
    assert.equal(
      day.energyImportedMilliWattHours,
      sum(
        BigInt(String(before?.energyImportedMilliWattHours)),
        replacement.energyImportedMilliWattHours,
      ),
    );
    assert.equal(store.getMeta("head_block_hash"), (await publicClient.getBlock()).hash);
    store.close();
  });

  it("drops a range fetched ahead from another branch and indexes the new one", async () => {
    const { f, store, deployments, publicClient } = await setup();
    const snapshot = await publicClient.request({ method: "evm_snapshot" as never });
    const forkedAt = Number(await publicClient.getBlockNumber());
    const orphan = makeHeader(3);
    await anchor(f, [orphan]);
    await publicClient.request({ method: "hardhat_mine" as never, params: ["0xa"] as never });
    // The first range ends 3 blocks past the fork (the orphan is in it); while its handlers are
    // about to run, the indexer asks for the second range, and the chain reorganises right then.
    const firstRangeEnd = forkedAt + 3;
    const replacement = makeHeader(4);
    let reorganised = false;
    const provider = connection.provider;
    const client = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params?: unknown }) {
          const filter = (params as [{ fromBlock?: string }] | undefined)?.[0];
          if (
            method === "eth_getLogs" &&
            !reorganised &&
            filter?.fromBlock === `0x${(firstRangeEnd + 1).toString(16)}`
          ) {
            reorganised = true;
            await provider.request({ method: "evm_revert", params: [snapshot] });
            await anchor(f, [replacement]);
            await provider.request({ method: "hardhat_mine", params: ["0xf"] });
          }
          return (await provider.request({ method, params } as never)) as unknown;
        },
      }),
    }) as PublicClient;
    const indexer = await Indexer.create({
      client,
      store,
      deployments,
      network: "hardhat",
      blockRange: firstRangeEnd - deployments.DataContainers.startBlock + 1,
    });
    const result = await indexer.syncOnce();
    assert.ok(reorganised);
    assert.equal(result.failed, null);
    assert.ok(result.revertedBlocks > 0);
    assert.equal(store.get("Container", await containerIdOf(f, orphan)), null);
    assert.notEqual(store.get("Container", await containerIdOf(f, replacement)), null);
    assert.equal(store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`)?.containerCount, 1);
    assert.equal(store.getMeta("head_block_hash"), (await publicClient.getBlock()).hash);
    store.close();
  });

  it("follows the chain over HTTP in JSON-RPC batches from a fetch worker, as the main thread does, and names the call a node refuses", async () => {
    const { f, store, deployments, publicClient } = await setup();
    await anchor(f, [makeHeader(0)]);
    await anchor(f, [makeHeader(1)]);
    await anchor(f, [makeHeader(2)]);
    await stampAndMint(f, "http-job");
    let refuse: string | null = null;
    const node = await serveChainOverHttp(connection.provider, (call) =>
      call.method === refuse ? { error: { code: -32005, message: "limit exceeded" } } : undefined,
    );
    const mainStore = openEntityStore(await tempFile());
    try {
      const client = createPublicClient({ transport: http(node.url) }) as PublicClient;
      const options = { client, deployments, network: "hardhat", rpcBatchSize: 2, blockRange: 3 };
      const indexer = await Indexer.create({ ...options, store, fetchThread: "worker" });
      assert.equal(indexer.fetchThread, "worker");
      const result = await indexer.syncOnce();
      assert.equal(result.failed, null);
      assert.equal(store.getMeta("head_block_hash"), (await publicClient.getBlock()).hash);
      assert.equal(store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`)?.containerCount, 3);
      // Headers went in batches, none larger than asked.
      assert.ok(node.posts.some((n) => n === 2));
      assert.ok(node.posts.every((n) => n <= 2));
      // The same chain fetched on the main thread gives the same entities, version for version.
      const onMain = await Indexer.create({ ...options, store: mainStore, fetchThread: "main" });
      assert.equal(onMain.fetchThread, "main");
      assert.equal((await onMain.syncOnce()).failed, null);
      const tablesOf = (s: EntityStore) =>
        Object.fromEntries(
          s.schema.types.map((type) => [
            type.name,
            s.db
              .prepare(`SELECT id, block_from, block_to, data FROM "${type.name}" ORDER BY vid`)
              .all(),
          ]),
        );
      const fromWorker = tablesOf(store);
      assert.ok((fromWorker.Container ?? []).length >= 3);
      assert.ok((fromWorker.ProductLot ?? []).length >= 1);
      assert.deepEqual(fromWorker, tablesOf(mainStore));

      refuse = "eth_getLogs";
      await anchor(f, [makeHeader(3)]);
      await assert.rejects(indexer.syncOnce(), /eth_getLogs: limit exceeded/);
      refuse = null;
      assert.equal((await indexer.syncOnce()).failed, null);
      assert.equal(store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`)?.containerCount, 4);
      await indexer.stop();
      await onMain.stop();
    } finally {
      await node.close();
      store.close();
      mainStore.close();
    }
  });

  it("resumes after a restart from the stored head without counting anything twice", async () => {
    const { f, file, store, open, deployments, publicClient } = await setup();
    const first = [makeHeader(0), makeHeader(1)];
    await anchor(f, first);
    const indexer = await open(store);
    await indexer.syncOnce();
    store.close();

    const second = [makeHeader(2), makeHeader(3), makeHeader(4)];
    await anchor(f, second);
    const reopened = openEntityStore(file);
    const resumed = await open(reopened);
    await resumed.syncOnce();
    await resumed.syncOnce();
    const day = reopened.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`);
    assert.equal(day?.containerCount, 5);
    assert.equal(
      day.energyImportedMilliWattHours,
      sum(...[...first, ...second].map((h) => h.energyImportedMilliWattHours)),
    );
    // One version per block the aggregate changed in: the replay added none.
    const versions = reopened.db
      .prepare<[string], { n: number }>(`SELECT count(*) AS n FROM "SiteDailyEnergy" WHERE id = ?`)
      .get(`${SITE_ID}-${DAY}`);
    assert.equal(versions?.n, 2);
    reopened.close();

    // Served as `ei indexer` serves it: graph-node's status API reports a healthy, synced subgraph.
    const embedded = await startEmbeddedIndexer({
      client: publicClient,
      deployments,
      network: "hardhat",
      dataDir: path.dirname(file),
      name: "energy-intelligence/local",
      pollIntervalMs: 50,
    });
    try {
      const statusOf = async () =>
        (await postJson(embedded.statusUrl, {
          query: `{ indexingStatusForCurrentVersion(subgraphName: "energy-intelligence/local") {
            subgraph synced health entityCount fatalError { message } nonFatalErrors { message }
            chains { network chainHeadBlock { number hash } latestBlock { number hash } } } }`,
        })) as { data: { indexingStatusForCurrentVersion: Record<string, unknown> } };
      let status = await statusOf();
      for (let i = 0; i < 200 && status.data.indexingStatusForCurrentVersion.synced !== true; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = await statusOf();
      }
      const head = await publicClient.getBlock();
      const { entityCount, ...rest } = status.data.indexingStatusForCurrentVersion;
      assert.match(String(entityCount), /^[1-9][0-9]*$/);
      const at = { number: String(head.number), hash: head.hash };
      assert.deepEqual(rest, {
        subgraph: "energy-intelligence/local",
        synced: true,
        health: "healthy",
        fatalError: null,
        nonFatalErrors: [],
        chains: [{ network: "hardhat", chainHeadBlock: at, latestBlock: at }],
      });
      assert.deepEqual(await postJson(embedded.url, { query: "{ _meta { hasIndexingErrors } }" }), {
        data: { _meta: { hasIndexingErrors: false } },
      });
    } finally {
      await embedded.close();
    }
  });

  it("marks the subgraph failed with the block and reason when a handler fails, and stops", async () => {
    // A schema requiring a field the mapping never sets: graph-node fails such a save the same way.
    const schema = (await readFile(SCHEMA_FILE, "utf8")).replace(
      "type Site @entity(immutable: false) {\n  id: ID!",
      "type Site @entity(immutable: false) {\n  id: ID!\n  region: String!",
    );
    const { f, file, store, indexer, publicClient, open } = await setup({ schemaSdl: schema });
    const registeredAt = Number(await publicClient.getBlockNumber());
    const result = await indexer.syncOnce();
    assert.ok(result.failed !== null);
    const fatal = JSON.parse(store.getMeta("fatal_error") ?? "null") as {
      block: { number: number; hash: string };
      message: string;
      handler: string;
    };
    assert.equal(fatal.handler, "handleSiteRegistered");
    assert.match(fatal.message, /missing value for non-nullable field `region`/);
    assert.ok(fatal.block.number <= registeredAt);
    assert.equal(
      fatal.block.hash,
      (await publicClient.getBlock({ blockNumber: BigInt(fatal.block.number) })).hash,
    );
    assert.equal(store.getMeta("has_indexing_errors"), "true");
    assert.equal(store.get("Site", SITE_ID), null);
    // Nothing of the failing block was kept, and indexing does not go on past it.
    const head = store.getMeta("head_block_number");
    assert.ok(head === null || Number(head) < fatal.block.number);
    // What a client sees: graph-node's failed-deployment answers, at the last good block.
    const engine = new QueryEngine(store.db, store.schema);
    assert.deepEqual(
      JSON.parse(
        JSON.stringify(
          engine.execute({
            query: "{ _meta { block { number } hasIndexingErrors } sites { id } }",
          }),
        ),
      ),
      {
        data: {
          _meta: {
            block: { number: head === null ? null : Number(head) },
            hasIndexingErrors: true,
          },
        },
        errors: [{ message: "indexing_error" }],
      },
    );
    await anchor(f, [makeHeader(0)]);
    const again = await indexer.syncOnce();
    assert.equal(again.events, 0);
    assert.equal(store.getMeta("head_block_number"), head);

    // graph-node's index-node status API and `_meta` over HTTP report it, also after a restart.
    const schemaFile = path.join(path.dirname(file), "schema.graphql");
    await writeFile(schemaFile, schema);
    const lastGood =
      head === null ? null : { number: Number(head), hash: store.getMeta("head_block_hash") };
    const expectedStatus = {
      data: {
        indexingStatusForCurrentVersion: {
          subgraph: "energy-intelligence",
          synced: false,
          health: "failed",
          fatalError: {
            message: fatal.message,
            block: fatal.block,
            handler: "handleSiteRegistered",
            deterministic: true,
          },
          chains: [
            {
              latestBlock:
                lastGood === null ? null : { number: String(lastGood.number), hash: lastGood.hash },
            },
          ],
        },
      },
    };
    const served = async (s: EntityStore) => {
      const server = await startQueryServer({
        db: s.db,
        schemaFile,
        name: "energy-intelligence/failing",
      });
      try {
        return {
          status: await postJson(server.statusUrl, {
            query: `{ indexingStatusForCurrentVersion(subgraphName: "energy-intelligence/failing") {
              subgraph synced health fatalError { message block { number hash } handler deterministic }
              chains { latestBlock { number hash } } } }`,
          }),
          meta: await postJson(server.url, {
            query: "{ _meta { block { number hash } hasIndexingErrors } }",
          }),
        };
      } finally {
        await server.close();
      }
    };
    // `_meta` alone is answered without `indexing_error` (entity fields get it, tested above).
    const expectedMeta = { data: { _meta: { block: lastGood, hasIndexingErrors: true } } };
    const before = await served(store);
    assert.deepEqual(before, { status: expectedStatus, meta: expectedMeta });
    store.close();

    const reopened = openEntityStore(file, schema);
    const restarted = await open(reopened);
    const afterRestart = await restarted.syncOnce();
    assert.deepEqual(afterRestart.failed, { ...fatal, deterministic: true });
    assert.equal(afterRestart.events, 0);
    assert.deepEqual(await served(reopened), { status: expectedStatus, meta: expectedMeta });
    reopened.close();
  });

  it("clears the failure and indexes the new branch when a reorg removes the failed block", async () => {
    // Attestations are saved only by attest(): a required field the mapping never sets fails that
    // handler and no other.
    const schema = (await readFile(SCHEMA_FILE, "utf8")).replace(
      'type Attestation @entity(immutable: true) {\n  "<transaction hash>-<log index>"\n  id: ID!',
      'type Attestation @entity(immutable: true) {\n  "<transaction hash>-<log index>"\n  id: ID!\n  region: String!',
    );
    assert.match(schema, /type Attestation[^}]*region: String!/);
    const { f, store, indexer, publicClient } = await setup({ schemaSdl: schema });
    const kept = makeHeader(0);
    await anchor(f, [kept]);
    assert.equal((await indexer.syncOnce()).failed, null);
    const snapshot = await publicClient.request({ method: "evm_snapshot" as never });

    await f.attestations.write.attest([1, BigInt(await containerIdOf(f, kept)), 1, "0x0155"], {
      account: f.auditor.account,
    });
    const failing = await indexer.syncOnce();
    assert.equal(failing.failed?.handler, "handleAttested");
    const failedAt = failing.failed.block;
    assert.equal(store.getMeta("has_indexing_errors"), "true");
    // Without a reorg the failure stays.
    assert.deepEqual((await indexer.syncOnce()).failed, failing.failed);

    // The attestation's block is replaced by one anchoring another container.
    await publicClient.request({ method: "evm_revert" as never, params: [snapshot] as never });
    const replacement = makeHeader(7);
    await anchor(f, [replacement]);
    await publicClient.request({ method: "hardhat_mine" as never, params: ["0x2"] as never });
    const replaced = await publicClient.getBlock({ blockNumber: BigInt(failedAt.number) });
    assert.notEqual(replaced.hash, failedAt.hash);

    const result = await indexer.syncOnce();
    assert.equal(result.failed, null);
    assert.equal(indexer.fatalError(), null);
    assert.equal(store.getMeta("has_indexing_errors"), "false");
    assert.notEqual(store.get("Container", await containerIdOf(f, replacement)), null);
    assert.equal(store.get("SiteDailyEnergy", `${SITE_ID}-${DAY}`)?.containerCount, 2);
    assert.equal(store.getMeta("head_block_hash"), (await publicClient.getBlock()).hash);
    const engine = new QueryEngine(store.db, store.schema);
    assert.deepEqual(
      JSON.parse(JSON.stringify(engine.execute({ query: "{ _meta { hasIndexingErrors } }" }))),
      { data: { _meta: { hasIndexingErrors: false } } },
    );
    store.close();
  });

  it("refuses a manifest declaring a feature the embedded host does not implement", async () => {
    const buildDir = path.dirname(await tempFile());
    await cp(DEFAULT_BUILD_DIR, buildDir, { recursive: true });
    const client = (await viem.getPublicClient()) as unknown as PublicClient;
    const manifestFile = path.join(buildDir, "subgraph.yaml");
    const manifest = await readFile(manifestFile, "utf8");
    const store = openEntityStore(await tempFile());
    const create = () =>
      Indexer.create({
        client,
        store,
        deployments: {},
        network: "hardhat",
        buildDir,
      });
    for (const [features, message] of [
      [
        "[nonFatalErrors]",
        /declares the feature nonFatalErrors, but the embedded host fails the subgraph at the first handler error/,
      ],
      ["[fullTextSearch]", /declares the feature fullTextSearch/],
      ["[noSuchFeature]", /invalid subgraph feature noSuchFeature/],
    ] as const) {
      await writeFile(manifestFile, `features: ${features}\n${manifest}`);
      await assert.rejects(create(), message);
    }
    store.close();
  });
});
