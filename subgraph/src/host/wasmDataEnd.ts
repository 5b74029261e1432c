/**
 * The end of a module's active data segments in memory 0: below it lie the module's static data
 * (AssemblyScript's string literals among them), above it the heap. 0 when it cannot tell (a
 * segment placed by a global's value), which makes the host cache nothing (see ascHeap.ts).
 */
import { readU32 } from "./wasmLeb128.ts";

const DATA_SECTION = 11;

/** Signed LEB128 (an i32.const operand). */
function readI32(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = bytes[position++];
    if (byte === undefined) throw new Error("wasm: truncated LEB128");
    value |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) {
      if (shift < 32 && (byte & 0x40) !== 0) value |= -1 << shift;
      return [value, position];
    }
  }
}

export function dataSegmentsEnd(module: Uint8Array): number {
  let offset = 8;
  while (offset < module.length) {
    const id = module[offset] ?? 0;
    const [size, contentStart] = readU32(module, offset + 1);
    if (id === DATA_SECTION) return segmentsEnd(module, contentStart);
    offset = contentStart + size;
  }
  return 0;
}

function segmentsEnd(module: Uint8Array, start: number): number {
  let [count, position] = readU32(module, start);
  let end = 0;
  for (; count > 0; count--) {
    let flags: number;
    [flags, position] = readU32(module, position);
    if (flags === 1) {
      // Passive: copied by memory.init at run time, not at a fixed place.
      let length: number;
      [length, position] = readU32(module, position);
      position += length;
      continue;
    }
    if (flags === 2) {
      let memory: number;
      [memory, position] = readU32(module, position);
      if (memory !== 0) return 0;
    } else if (flags !== 0) return 0;
    if (module[position] !== 0x41) return 0; // not i32.const
    let at: number;
    [at, position] = readI32(module, position + 1);
    if (module[position] !== 0x0b) return 0;
    position++;
    let length: number;
    [length, position] = readU32(module, position);
    position += length;
    end = Math.max(end, (at >>> 0) + length);
  }
  return end;
}
