import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";

/** One model block found on the chain: its id, where it starts, and its data registers. */
export interface SunSpecModelBlock {
  id: number;
  /** Address of the model's ID register. */
  address: number;
  /** Data registers (after ID and L), `length` of them. */
  registers: Uint16Array;
}

/** Reads holding registers; the walker stays pure by taking I/O as a function. */
export type ReadHoldingRegisters = (address: number, count: number) => Promise<Uint16Array>;

/** The base addresses the SunSpec specification allows for the `SunS` marker, in probing order. */
export const SUNSPEC_BASE_ADDRESSES = [40000, 0, 50000] as const;
const MAX_MODELS = 64;

/**
 * Finds the `SunS` marker (0x5375 0x6e53) at 40000, 0 or 50000 and walks the
 * model chain (ID, length, data) up to the end marker 0xFFFF, reading each
 * model's block whole (Modbus caps one read at 125 registers, so long models
 * are read in slices). A base that throws (Modbus exception: illegal address)
 * is skipped like one without the marker.
 *
 * @throws {ProtocolFrameError} not-sunspec when no base carries the marker; bad-model on a chain that never ends.
 * @example
 * ```ts
 * const models = await walkSunSpecModels((a, n) => client.readHoldingRegisters(a, n).then((r) => Uint16Array.from(r.data)));
 * ```
 */
export async function walkSunSpecModels(read: ReadHoldingRegisters): Promise<SunSpecModelBlock[]> {
  let base: number | undefined;
  for (const candidate of SUNSPEC_BASE_ADDRESSES) {
    try {
      const marker = await read(candidate, 2);
      if (marker[0] === 0x5375 && marker[1] === 0x6e53) {
        base = candidate;
        break;
      }
    } catch {
      // Illegal data address at this base: try the next.
    }
  }
  if (base === undefined) {
    throw new ProtocolFrameError(
      "sunspec",
      "not-sunspec",
      "SunS",
      `no SunS marker at ${SUNSPEC_BASE_ADDRESSES.join(", ")}`,
    );
  }
  const models: SunSpecModelBlock[] = [];
  let address = base + 2;
  for (let index = 0; index < MAX_MODELS; index += 1) {
    const head = await read(address, 2);
    const id = head[0] ?? 0xffff;
    const length = head[1] ?? 0;
    if (id === 0xffff) return models;
    const registers = new Uint16Array(length);
    for (let offset = 0; offset < length; offset += 125) {
      const count = Math.min(125, length - offset);
      const slice = await read(address + 2 + offset, count);
      if (slice.length !== count) {
        throw new ProtocolFrameError(
          "sunspec",
          "truncated",
          `model ${id} @${address}`,
          `read ${slice.length} of ${count} registers`,
        );
      }
      registers.set(slice, offset);
    }
    models.push({ id, address, registers });
    address += 2 + length;
  }
  throw new ProtocolFrameError(
    "sunspec",
    "bad-model",
    `@${address}`,
    `no end marker after ${MAX_MODELS} models`,
  );
}
