/**
 * End to end: contracts on a Hardhat (EDR) chain → the embedded indexer running the compiled
 * mappings (subgraph/build, `npm run build -w subgraph`) → this query server over HTTP, asked
 * what a dashboard asks. Shows the query layer reads what the indexer really writes.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import type { Hex, PublicClient } from "viem";
import {
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
import { Indexer } from "../host/indexer.ts";
import { SCHEMA_FILE, openEntityStore, type EntityStore } from "../store/openEntityStore.ts";
import { startQueryServer, type QueryServer } from "./queryServer.ts";

const connection = await network.create();
const { viem } = connection;

async function anchor(f: Fixture, headers: ContainerHeader[]): Promise<void> {
  const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
  await f.containers.write.anchorMany([headers, f.oracle.account.address, signature]);
}

describe("contracts → indexer → query server", () => {
  let dir: string;
  let store: EntityStore;
  let server: QueryServer;
  let publicClient: PublicClient;
  let blockBeforeCorrection: number;
  const machineHeaders = [0, 1, 2].map((i) => makeHeader(i, { streamId: MACHINE_ID }));
  const meterHeader = makeHeader(3, { streamId: STREAM_ID });

  const query = async (text: string): Promise<unknown> => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: text }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data;
  };

  before(async () => {
    publicClient = await viem.getPublicClient();
    const startBlock = Number(await publicClient.getBlockNumber()) + 1;
    const f = await deployAll(viem);
    await anchor(f, [...machineHeaders, meterHeader]);
    blockBeforeCorrection = Number(await publicClient.getBlockNumber());
    const first = machineHeaders[1];
    assert.ok(first);
    const supersedes = await f.containers.read.containerId([
      first.siteId,
      first.streamId,
      first.periodStart,
      first.periodEnd,
      first.revision,
    ]);
    await anchor(f, [
      makeHeader(1, {
        streamId: MACHINE_ID,
        revision: 1,
        supersedes,
        energyImportedMilliWattHours: 999n,
      }),
    ]);
    const asOperator = { account: f.operator.account };
    await f.jobs.write.startJob([SITE_ID, id("job:1"), [MACHINE_ID], PRODUCT_ID], asOperator);
    await f.jobs.write.stopJob([SITE_ID, id("job:1"), PRODUCT_ID, 100n], asOperator);
    const footprint = makeFootprint();
    await f.lots.write.mint([
      footprint,
      f.oracle.account.address,
      await signFootprint(viem, f.oracle, f.lots.address, footprint),
    ]);

    dir = await mkdtemp(path.join(tmpdir(), "ei-query-e2e-"));
    store = openEntityStore(path.join(dir, "subgraph.sqlite"));
    const entry = (address: Hex) => ({ address, startBlock });
    const indexer = await Indexer.create({
      client: publicClient,
      store,
      deployments: {
        EnergyRegistry: entry(f.registry.address),
        DataContainers: entry(f.containers.address),
        JobStamps: entry(f.jobs.address),
        ProductLots: entry(f.lots.address),
        AuditAttestations: entry(f.attestations.address),
      },
      network: "hardhat",
    });
    const result = await indexer.syncOnce();
    assert.equal(result.failed, null);
    server = await startQueryServer({
      db: store.db,
      schemaFile: SCHEMA_FILE,
      name: "energy-intelligence/e2e",
    });
  });

  after(async () => {
    await server.close();
    store.close();
    await connection.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers _meta with the chain head the indexer reached", async () => {
    const head = await publicClient.getBlock();
    assert.deepEqual(
      await query("{ _meta { block { number hash timestamp parentHash } hasIndexingErrors } }"),
      {
        _meta: {
          block: {
            number: Number(head.number),
            hash: head.hash,
            timestamp: Number(head.timestamp),
            parentHash: head.parentHash,
          },
          hasIndexingErrors: false,
        },
      },
    );
  });

  it("lists a site's current containers ordered by period, with the correction in place", async () => {
    const data = (await query(`{
      containers(where: { site: "${SITE_ID}", current: true }, orderBy: periodStart) {
        periodStart energyImportedMilliWattHours revision stream { streamId machine { id } }
      }
    }`)) as {
      containers: {
        periodStart: string;
        energyImportedMilliWattHours: string;
        revision: number;
        stream: { streamId: string; machine: { id: string } | null };
      }[];
    };
    assert.deepEqual(
      data.containers.map((c) => [c.periodStart, c.energyImportedMilliWattHours, c.revision]),
      [
        [
          String(machineHeaders[0]?.periodStart),
          String(machineHeaders[0]?.energyImportedMilliWattHours),
          0,
        ],
        [String(machineHeaders[1]?.periodStart), "999", 1],
        [
          String(machineHeaders[2]?.periodStart),
          String(machineHeaders[2]?.energyImportedMilliWattHours),
          0,
        ],
        [String(meterHeader.periodStart), String(meterHeader.energyImportedMilliWattHours), 0],
      ],
    );
    assert.deepEqual(data.containers[0]?.stream, {
      streamId: MACHINE_ID,
      machine: { id: MACHINE_ID },
    });
    assert.deepEqual(data.containers[3]?.stream, { streamId: STREAM_ID, machine: null });
  });

  it("links a superseded container to its correction, and shows it current before the correction", async () => {
    assert.deepEqual(
      await query(
        "{ containers(where: { current: false }) { revision supersededBy { revision energyImportedMilliWattHours } } }",
      ),
      {
        containers: [
          { revision: 0, supersededBy: { revision: 1, energyImportedMilliWattHours: "999" } },
        ],
      },
    );
    const before = (await query(
      `{ containers(block: { number: ${blockBeforeCorrection} }, where: { current: true }) { revision } }`,
    )) as { containers: { revision: number }[] };
    assert.deepEqual(
      before.containers.map((c) => c.revision),
      [0, 0, 0, 0],
    );
  });

  it("answers a machine's daily aggregate and a lot with its jobs", async () => {
    const day = Math.floor(Number(machineHeaders[0]?.periodStart) / 86400);
    const expected =
      (machineHeaders[0]?.energyImportedMilliWattHours ?? 0n) +
      999n +
      (machineHeaders[2]?.energyImportedMilliWattHours ?? 0n);
    assert.deepEqual(
      await query(`{
        machineDailyEnergies(where: { machine: "${MACHINE_ID}", day_gte: ${day - 30} }, orderBy: day) {
          day containerCount energyImportedMilliWattHours
        }
      }`),
      {
        machineDailyEnergies: [
          { day, containerCount: 3, energyImportedMilliWattHours: expected.toString() },
        ],
      },
    );
    assert.deepEqual(
      await query(`{
        productLots(where: { product_: { sku_not: "" } }) {
          units jobs { id status machines { id } stamps(orderBy: time) { action } }
        }
      }`),
      {
        productLots: [
          {
            units: "100",
            jobs: [
              {
                id: id("job:1"),
                status: "stopped",
                machines: [{ id: MACHINE_ID }],
                stamps: [{ action: "start" }, { action: "stop" }],
              },
            ],
          },
        ],
      },
    );
  });
});
