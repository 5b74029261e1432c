/**
 * A small Prometheus registry: counters and gauges with labels, rendered in the
 * text exposition format (version 0.0.4). Enough for the gateway's handful of
 * series without a dependency; histograms are summarised as gauges of
 * quantiles where needed.
 */
type Labels = Record<string, string>;

function escapeLabel(value: string): string {
  return value.replace(/\\/gu, "\\\\").replace(/\n/gu, "\\n").replace(/"/gu, '\\"');
}

function labelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return names.map((name) => `${name}="${escapeLabel(labels[name] ?? "")}"`).join(",");
}

abstract class Metric {
  readonly name: string;
  readonly help: string;
  abstract readonly type: "counter" | "gauge";
  protected readonly values = new Map<string, number>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [key, value] of this.values) {
      lines.push(
        `${this.name}${key === "" ? "" : `{${key}}`} ${Number.isFinite(value) ? value : "NaN"}`,
      );
    }
    return lines.join("\n");
  }

  /** The current value of one series (tests and health checks read it). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
}

export class Counter extends Metric {
  readonly type = "counter";

  inc(labels: Labels = {}, amount = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + amount);
  }
}

export class Gauge extends Metric {
  readonly type = "gauge";
  readonly #collect: (() => void) | undefined;

  /** `collect` runs before each render, to read a value that is cheaper to compute on demand. */
  constructor(name: string, help: string, collect?: (gauge: Gauge) => void) {
    super(name, help);
    this.#collect =
      collect === undefined
        ? undefined
        : () => {
            collect(this);
          };
  }

  set(labels: Labels, value: number): void {
    this.values.set(labelKey(labels), value);
  }

  override render(): string {
    this.#collect?.();
    return super.render();
  }
}

export class MetricsRegistry {
  readonly #metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help));
  }

  gauge(name: string, help: string, collect?: (gauge: Gauge) => void): Gauge {
    return this.#add(new Gauge(name, help, collect));
  }

  #add<T extends Metric>(metric: T): T {
    if (this.#metrics.some((existing) => existing.name === metric.name)) {
      throw new Error(`metric ${metric.name} registered twice`);
    }
    this.#metrics.push(metric);
    return metric;
  }

  /** The text exposition format, served at /metrics. */
  render(): string {
    return `${this.#metrics.map((metric) => metric.render()).join("\n")}\n`;
  }
}
