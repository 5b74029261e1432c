/**
 * The end of a module's active data segments in memory 0: below it lie the module's static data
 * (AssemblyScript's string literals among them), above it the heap. 0 when it cannot tell (a
 * segment placed by a global's value), which makes the host cache nothing (see ascHeap.ts).
 */
import { readI32, readU32 } from "./wasmLeb128.ts";

const DATA_SECTION = 11;

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
