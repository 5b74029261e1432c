/**
 * The dashboard's queries and their latency, over HTTP against the query
 * server, each next to its baseline: the same lookup as direct SQL on the
 * same connection in the same run (the statements the engine compiles, run
 * with no GraphQL, no HTTP, no result shaping). Used by queries.bench.ts;
 * exported so the indexer bench can report the same figures on its store.
 */
import type { Database } from "better-sqlite3";
import { metric, type BenchMetric } from "../../../../scripts/bench/types.ts";
import {
  compileByIdQuery,
  compileCollectionQuery,
  type CollectionQuery,
} from "../compileEntityQuery.ts";
import type { QueryEngine } from "../queryEngine.ts";
import type { EntitySchema, EntityType } from "../readEntitySchema.ts";

/** The entities the dashboard looks at (ids as stored). */
export interface DashboardSubjects {
  siteId: string;
  machineId: string;
  /** Product entity id: `<site id>-<product id>`. */
  productId: string;
  lotId: string;
}

interface DashboardQuery {
  label: string;
  graphql: string;
  /** The same rows fetched with direct SQL. */
  baseline: () => unknown;
}

interface Latency {
  p50: number;
  p99: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(run: () => unknown, iterations: number): Promise<Latency> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function typeOf(schema: EntitySchema, name: string): EntityType {
  const type = schema.typesByName.get(name);
  if (type === undefined) throw new Error(`schema has no ${name}`);
  return type;
}

/** Runs compiled statements directly and parses each row's JSON, as any reader must. */
function directSql(db: Database) {
  const cache = new Map<string, ReturnType<Database["prepare"]>>();
  return (sql: string, params: Record<string, unknown>): Record<string, unknown>[] => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    const rows = statement.all(params) as { id: string; data: string }[];
    return rows.map((row) => JSON.parse(row.data) as Record<string, unknown>);
  };
}

/** The four dashboard queries with their SQL baselines. */
export function dashboardQueries(
  db: Database,
  schema: EntitySchema,
  subjects: DashboardSubjects,
): DashboardQuery[] {
  const run = directSql(db);
  const collection = (
    query: Omit<CollectionQuery, "type" | "block" | "parent"> & { type: string },
  ) => {
    const compiled = compileCollectionQuery(schema, {
      ...query,
      type: typeOf(schema, query.type),
      block: null,
      parent: null,
    });
    return () => run(compiled.sql, compiled.params);
  };
  const byId = (type: string, id: string) => {
    const compiled = compileByIdQuery(schema, typeOf(schema, type), id, null);
    return run(compiled.sql, compiled.params)[0];
  };

  const lastDay =
    (
      db
        .prepare(
          `SELECT max(json_extract(data, '$.day')) AS day FROM "MachineDailyEnergy" WHERE json_extract(data, '$.machine') = ? AND block_to IS NULL`,
        )
        .get(subjects.machineId) as { day: number | null }
    ).day ?? 0;
  const lot = byId("ProductLot", subjects.lotId);
  const jobIds = (lot?.jobs as string[] | undefined) ?? [];
  const job = jobIds[0] === undefined ? undefined : byId("Job", jobIds[0]);
  const machineOfJob = (job?.machines as string[] | undefined)?.[0] ?? subjects.machineId;
  const streamId = `${subjects.siteId}-${machineOfJob}`;
  const stoppedAt = typeof job?.stoppedAt === "string" ? job.stoppedAt : "0";

  const siteContainers = collection({
    type: "Container",
    where: { site: subjects.siteId },
    orderBy: "periodStart",
    orderDirection: "desc",
    first: 100,
    skip: 0,
  });
  const machineDays = collection({
    type: "MachineDailyEnergy",
    where: { machine: subjects.machineId, day_gte: lastDay - 29, day_lte: lastDay },
    orderBy: "day",
    orderDirection: "asc",
    first: 100,
    skip: 0,
  });
  const productLots = collection({
    type: "ProductLot",
    where: { product: subjects.productId },
    orderBy: "mintedAtBlock",
    orderDirection: "desc",
    first: 100,
    skip: 0,
  });
  const lotContainers = collection({
    type: "Container",
    where: { stream: streamId, periodStart_lt: stoppedAt },
    orderBy: "periodStart",
    orderDirection: "desc",
    first: 24,
    skip: 0,
  });
  const stampsOf = (jobId: string) =>
    compileCollectionQuery(schema, {
      type: typeOf(schema, "JobStamp"),
      block: null,
      where: { job: jobId },
      orderBy: null,
      orderDirection: null,
      first: 100,
      skip: 0,
      parent: null,
    });

  return [
    {
      label: "site containers, newest 100",
      graphql: `{ containers(first: 100, where: { site: "${subjects.siteId}" }, orderBy: periodStart, orderDirection: desc) {
        id periodStart periodEnd energyImportedMilliWattHours emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e current } }`,
      baseline: siteContainers,
    },
    {
      label: "machine daily aggregates, 30 days",
      graphql: `{ machineDailyEnergies(where: { machine: "${subjects.machineId}", day_gte: ${lastDay - 29}, day_lte: ${lastDay} }, orderBy: day) {
        day energyImportedMilliWattHours emissionsLocationMilligramsCo2e emissionsMarketMilligramsCo2e containerCount } }`,
      baseline: machineDays,
    },
    {
      label: "lots of a product, newest 100",
      graphql: `{ productLots(first: 100, where: { product: "${subjects.productId}" }, orderBy: mintedAtBlock, orderDirection: desc) {
        id units energyPerUnitMilliWattHours emissionsLocationPerUnitMilligramsCo2e emissionsMarketPerUnitMilligramsCo2e mintedAtTimestamp } }`,
      baseline: productLots,
    },
    {
      label: "a lot with its jobs and containers",
      graphql: `{
        productLot(id: "${subjects.lotId}") {
          id units footprintHash energyMilliWattHours
          jobs { id startedAt stoppedAt machines { id name } stamps { action time channel } }
        }
        containers(first: 24, where: { stream: "${streamId}", periodStart_lt: "${stoppedAt}" }, orderBy: periodStart, orderDirection: desc) {
          id periodStart energyImportedMilliWattHours emissionsLocationMilligramsCo2e
        }
      }`,
      baseline: () => {
        const found = byId("ProductLot", subjects.lotId);
        for (const jobId of (found?.jobs as string[] | undefined) ?? []) {
          const j = byId("Job", jobId);
          for (const machineId of (j?.machines as string[] | undefined) ?? [])
            byId("Machine", machineId);
          const stamps = stampsOf(jobId);
          run(stamps.sql, stamps.params);
        }
        return lotContainers();
      },
    },
  ];
}

/**
 * p50/p99 of each dashboard query over HTTP and in-process (the engine without HTTP: what the
 * query layer itself costs), against direct SQL in the same run.
 */
export async function measureDashboardQueries(
  options: {
    db: Database;
    schema: EntitySchema;
    url: string;
    engine: QueryEngine;
    subjects: DashboardSubjects;
    iterations?: number;
  },
  progress: (message: string) => void = () => undefined,
): Promise<BenchMetric[]> {
  const iterations = options.iterations ?? 200;
  const metrics: BenchMetric[] = [];
  for (const query of dashboardQueries(options.db, options.schema, options.subjects)) {
    const body = JSON.stringify({ query: query.graphql });
    const overHttp = async (): Promise<void> => {
      const response = await fetch(options.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      const result = (await response.json()) as { errors?: unknown };
      if (result.errors !== undefined) {
        throw new Error(`${query.label}: ${JSON.stringify(result.errors)}`);
      }
    };
    const inProcess = (): void => {
      const result = options.engine.execute({ query: query.graphql });
      if (result.errors !== undefined) {
        throw new Error(`${query.label}: ${JSON.stringify(result.errors)}`);
      }
    };
    const http = await measure(overHttp, iterations);
    const engine = await measure(inProcess, iterations);
    const sql = await measure(query.baseline, iterations);
    progress(
      `${query.label}: HTTP p50 ${http.p50.toFixed(2)} ms, p99 ${http.p99.toFixed(2)} ms; in-process p50 ${engine.p50.toFixed(2)} ms, p99 ${engine.p99.toFixed(2)} ms; direct SQL p50 ${sql.p50.toFixed(2)} ms, p99 ${sql.p99.toFixed(2)} ms`,
    );
    const round = (ms: number) => Math.round(ms * 100) / 100;
    metrics.push(
      metric(`${query.label}: p50`, round(http.p50), "ms", {
        name: "direct SQL p50",
        value: round(sql.p50),
      }),
      metric(`${query.label}: p99`, round(http.p99), "ms", {
        name: "direct SQL p99",
        value: round(sql.p99),
      }),
      metric(`${query.label}: p50 in-process (no HTTP)`, round(engine.p50), "ms", {
        name: "direct SQL p50",
        value: round(sql.p50),
      }),
      metric(`${query.label}: p99 in-process (no HTTP)`, round(engine.p99), "ms", {
        name: "direct SQL p99",
        value: round(sql.p99),
      }),
    );
  }
  return metrics;
}
