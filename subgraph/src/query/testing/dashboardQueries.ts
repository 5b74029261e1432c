/**
 * The dapp's own dashboard and lot-page queries (imported from dapp/src, not copied, so the bench
 * measures what the pages send) and their latency over HTTP against the query server, each next to
 * the same request run in-process on the engine (no HTTP, no JSON): the difference is transport and
 * scheduling, the in-process figure is what the query layer and SQLite cost. Used by
 * queries.bench.ts.
 */
import type { Database } from "better-sqlite3";
import {
  DEVICE_QUERY,
  MACHINE_QUERY,
  PRODUCTS_QUERY,
  PRODUCT_QUERY,
  SITES_QUERY,
  SITE_QUERY,
} from "../../../../dapp/src/dashboard/dashboardQueries.ts";
import { LOT_QUERY } from "../../../../dapp/src/data/lotQueries.ts";
import { metric, type BenchMetric } from "../../../../scripts/bench/types.ts";
import type { GraphQLRequest, QueryEngine } from "../queryEngine.ts";

/** The entities the pages look at (ids as stored). */
export interface DashboardSubjects {
  siteId: string;
  machineId: string;
  deviceId: string;
  productId: string;
  lotId: string;
}

interface DashboardQuery {
  label: string;
  request: GraphQLRequest;
}

interface Latency {
  p50: number;
  p99: number;
  /** Mean CPU time of this process per run (user + system): what a run costs without waiting. */
  cpuMean: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(run: () => unknown, iterations: number): Promise<Latency> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    cpuMean: (used.user + used.system) / 1000 / iterations,
  };
}

/** The newest current entity of `type` (a subject for the pages), or an error naming the type. */
export function newestId(db: Database, type: string): string {
  const row = db
    .prepare(`SELECT id FROM "${type}" WHERE block_to IS NULL ORDER BY vid DESC LIMIT 1`)
    .get() as { id: string } | undefined;
  if (row === undefined) throw new Error(`no ${type} was indexed`);
  return row.id;
}

/** Every query the dapp's dashboards and lot page send, with the variables the pages give them. */
export function dashboardQueries(subjects: DashboardSubjects): DashboardQuery[] {
  return [
    { label: "sites list", request: { query: SITES_QUERY } },
    {
      label: "site dashboard",
      request: {
        query: SITE_QUERY,
        variables: { site: subjects.siteId, siteKey: subjects.siteId },
      },
    },
    {
      label: "machine dashboard",
      request: {
        query: MACHINE_QUERY,
        variables: { machine: subjects.machineId, key: subjects.machineId },
      },
    },
    {
      label: "device dashboard",
      request: {
        query: DEVICE_QUERY,
        variables: { device: subjects.deviceId, key: subjects.deviceId },
      },
    },
    { label: "products list", request: { query: PRODUCTS_QUERY } },
    {
      label: "product dashboard",
      request: {
        query: PRODUCT_QUERY,
        variables: { product: subjects.productId, key: subjects.productId },
      },
    },
    { label: "lot page", request: { query: LOT_QUERY, variables: { id: subjects.lotId } } },
  ];
}

/**
 * p50/p99 of each page's query over HTTP, against the same request run in-process. Every HTTP
 * series runs before the in-process ones: a long in-process series would outlast the server's
 * keep-alive timeout and the client's next request could meet a closing socket.
 */
export async function measureDashboardQueries(
  options: {
    url: string;
    engine: QueryEngine;
    subjects: DashboardSubjects;
    iterations?: number;
  },
  progress: (message: string) => void = () => undefined,
): Promise<BenchMetric[]> {
  const iterations = options.iterations ?? 200;
  const queries = dashboardQueries(options.subjects);
  const check = (label: string, result: { errors?: unknown }): void => {
    if (result.errors !== undefined) throw new Error(`${label}: ${JSON.stringify(result.errors)}`);
  };
  const overHttp: Latency[] = [];
  for (const query of queries) {
    const body = JSON.stringify(query.request);
    overHttp.push(
      await measure(async () => {
        const response = await fetch(options.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        check(query.label, (await response.json()) as { errors?: unknown });
      }, iterations),
    );
  }
  const metrics: BenchMetric[] = [];
  const round = (ms: number) => Math.round(ms * 100) / 100;
  for (const [index, query] of queries.entries()) {
    const http = overHttp[index] ?? { p50: Number.NaN, p99: Number.NaN, cpuMean: Number.NaN };
    const engine = await measure(() => {
      check(query.label, options.engine.execute(query.request));
    }, iterations);
    progress(
      `${query.label}: HTTP p50 ${http.p50.toFixed(2)} ms, p99 ${http.p99.toFixed(2)} ms; in-process p50 ${engine.p50.toFixed(2)} ms, p99 ${engine.p99.toFixed(2)} ms, CPU ${engine.cpuMean.toFixed(2)} ms per query`,
    );
    metrics.push(
      metric(`${query.label}: p50`, round(http.p50), "ms", {
        name: "in-process p50",
        value: round(engine.p50),
      }),
      metric(`${query.label}: p99`, round(http.p99), "ms", {
        name: "in-process p99",
        value: round(engine.p99),
      }),
      // Wall time on a shared machine includes waiting for a core; CPU time per query does not.
      metric(`${query.label}: CPU per query in-process`, round(engine.cpuMean), "ms"),
    );
  }
  return metrics;
}
