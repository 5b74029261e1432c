import { z } from "zod";

/** One row of a benchmark's result, in the shape of bench/results/<name>.json. */
export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
  /** What the value is compared with, measured in the same run; null when nothing is. */
  baseline: string | null;
  baselineValue: number | null;
  /** value / baselineValue, or null without a baseline. */
  ratio: number | null;
}

export interface BenchResult {
  name: string;
  metrics: BenchMetric[];
}

/** Services the harness gives a benchmark while it runs. */
export interface BenchContext {
  /** One progress line on stderr, prefixed with the benchmark's name. */
  progress: (message: string) => void;
  /**
   * Runs `exportName` of `moduleUrl` with `args` in a fresh Node process, so
   * its peak RSS (`process.resourceUsage().maxRSS`) is its own.
   */
  runInChild: <T>(moduleUrl: string, exportName: string, args: unknown) => Promise<ChildRun<T>>;
}

export interface ChildRun<T> {
  result: T;
  maxRssBytes: number;
}

/** What a `<name>.bench.ts` file default-exports. */
export interface BenchmarkDefinition {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchMetric[]>;
}

export const benchmarkDefinitionSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  run: z.custom<BenchmarkDefinition["run"]>((v) => typeof v === "function"),
});

/** A metric with its ratio computed from value and baseline. */
export function metric(
  name: string,
  value: number,
  unit: string,
  baseline?: { name: string; value: number },
): BenchMetric {
  return {
    metric: name,
    value,
    unit,
    baseline: baseline?.name ?? null,
    baselineValue: baseline?.value ?? null,
    ratio: baseline === undefined || baseline.value === 0 ? null : value / baseline.value,
  };
}
