/**
 * `npm run bench -- pact-listing`: what `GET /3/footprints` spends reading the
 * stored footprints, 1,000 rows in SQLite. The repository keeps each row's
 * PACT schema check with the JSON it was made on, so a listing of unchanged
 * rows checks none; the baseline is a repository with nothing kept, which
 * checks every row (what each listing did before). Median of 20 listings each.
 */
import BetterSqlite3 from "better-sqlite3";
import { productFootprintFromLot } from "@energy-intelligence/sdk/pact/index";
import {
  buildPactTestLot,
  pactTestParameters,
} from "../../../sdk/src/pact/pactFixture.testHelper.ts";
import {
  metric,
  type BenchContext,
  type BenchMetric,
  type BenchmarkDefinition,
} from "../../../scripts/bench/types.ts";
import { ensurePactTables } from "./openPactStore.ts";
import { PactFootprintsRepository } from "./pactFootprintsRepository.ts";

const ROWS = 1000;
const ROUNDS = 20;

function medianMs(run: () => unknown): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

function run(context: BenchContext): Promise<BenchMetric[]> {
  context.progress(`storing ${ROWS} footprints`);
  const db = new BetterSqlite3(":memory:");
  ensurePactTables(db);
  const kept = new PactFootprintsRepository(db);
  const lot = buildPactTestLot();
  for (let n = 0n; n < BigInt(ROWS); n++) {
    const parameters = pactTestParameters(lot.document, lot.lotId + n, lot.cid);
    kept.publish(
      lot.lotId + n,
      productFootprintFromLot({
        ...parameters,
        lot: { ...parameters.lot, mintedAtMs: parameters.lot.mintedAtMs + Number(n) * 1000 },
      }),
    );
  }
  context.progress("listing");
  if (kept.all().length !== ROWS) throw new Error("bench footprints did not all list");
  const everyRow = medianMs(() => new PactFootprintsRepository(db).all());
  const unchanged = medianMs(() => kept.all());
  db.close();
  return Promise.resolve([
    metric(`listing of ${ROWS} rows, every row checked (baseline)`, everyRow, "ms"),
    metric(`listing of ${ROWS} unchanged rows, checks kept`, unchanged, "ms", {
      name: "every row checked, same run",
      value: everyRow,
    }),
  ]);
}

const definition: BenchmarkDefinition = {
  name: "pact-listing",
  description: "PACT listing: stored footprints read with kept schema checks vs every row checked",
  run,
};
export default definition;
