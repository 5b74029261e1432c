import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { PulseCounterState } from "@energy-intelligence/sdk/protocols/index";

const fileSchema = z.record(
  z.string(),
  z.object({
    lastRawCount: z.string().regex(/^\d+$/u),
    totalPulses: z.string().regex(/^\d+$/u),
  }),
);

/**
 * Where a pulse adapter keeps each input's pulse total across gateway
 * restarts (a small JSON file, replaced atomically). It is written after the
 * readings commit; a crash in between leaves an older state, which only
 * re-counts from an older raw count: the pulses since are still added once,
 * so none is lost or counted twice (the re-sent readings are dropped as stale).
 */
export class PulseCounterStateFile {
  readonly #file: string;
  readonly #states: Map<string, PulseCounterState>;

  constructor(file: string) {
    this.#file = file;
    this.#states = new Map();
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`${file}: not a pulse counter state file`);
      for (const [key, value] of Object.entries(parsed.data)) {
        this.#states.set(key, {
          lastRawCount: BigInt(value.lastRawCount),
          totalPulses: BigInt(value.totalPulses),
        });
      }
    }
  }

  get(key: string): PulseCounterState | undefined {
    return this.#states.get(key);
  }

  set(key: string, state: PulseCounterState): void {
    this.#states.set(key, state);
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.tmp`;
    writeFileSync(
      temporary,
      JSON.stringify(
        Object.fromEntries(
          [...this.#states].map(([k, v]) => [
            k,
            { lastRawCount: v.lastRawCount.toString(), totalPulses: v.totalPulses.toString() },
          ]),
        ),
      ),
    );
    renameSync(temporary, this.#file);
  }
}
