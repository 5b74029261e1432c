/**
 * Adds an export for every mutable global a compiled mapping defines, so the host can read and reset
 * them from JavaScript (see pristineInstance.ts). Nothing else of the module changes: code, data,
 * globals and the existing exports stay byte for byte the same; only export entries are appended.
 */
import { readU32, writeU32 } from "./wasmLeb128.ts";

const IMPORT_SECTION = 2;
const GLOBAL_SECTION = 6;
const EXPORT_SECTION = 7;
const GLOBAL_KIND = 3;
const utf8 = new TextEncoder();

/** The export name given to the global of index `index` (in the module's global index space). */
export function mutableGlobalExportName(index: number): string {
  return `__ei_mutable_global_${index}`;
}

interface Section {
  id: number;
  start: number;
  contentStart: number;
  end: number;
}

function sectionsOf(module: Uint8Array): Section[] {
  const sections: Section[] = [];
  let offset = 8;
  while (offset < module.length) {
    const id = module[offset] ?? 0;
    const [size, contentStart] = readU32(module, offset + 1);
    sections.push({ id, start: offset, contentStart, end: contentStart + size });
    offset = contentStart + size;
  }
  return sections;
}

/** Skips a constant initializer expression (the opcodes a global's init may use) and its `end`. */
function skipInitExpression(module: Uint8Array, offset: number): number {
  let position = offset;
  for (;;) {
    const opcode = module[position++];
    switch (opcode) {
      case 0x0b: // end
        return position;
      case 0x41: // i32.const (signed LEB128)
      case 0x42: // i64.const
      case 0x23: // global.get
      case 0xd2: // ref.func
        while (((module[position++] ?? 0) & 0x80) !== 0);
        break;
      case 0x43: // f32.const
        position += 4;
        break;
      case 0x44: // f64.const
        position += 8;
        break;
      case 0xd0: // ref.null t
        position += 1;
        break;
      case 0xfd: // v128.const
        position += 1 + 16;
        break;
      default:
        throw new Error(
          `wasm: unexpected opcode 0x${(opcode ?? 0).toString(16)} in a global's init`,
        );
    }
  }
}

/** Indices (global index space) of the globals the module defines as mutable. */
export function mutableGlobalIndices(module: Uint8Array): number[] {
  const sections = sectionsOf(module);
  let importedGlobals = 0;
  const imports = sections.find((s) => s.id === IMPORT_SECTION);
  if (imports !== undefined) {
    let [count, position] = readU32(module, imports.contentStart);
    for (; count > 0; count--) {
      for (let name = 0; name < 2; name++) {
        const [length, start] = readU32(module, position);
        position = start + length;
      }
      const kind = module[position++];
      if (kind === 0)
        [, position] = readU32(module, position); // function: type index
      else if (kind === 1) {
        position += 1; // table: reftype, then limits
        const flags = module[position++] ?? 0;
        [, position] = readU32(module, position);
        if ((flags & 1) !== 0) [, position] = readU32(module, position);
      } else if (kind === 2) {
        const flags = module[position++] ?? 0;
        [, position] = readU32(module, position);
        if ((flags & 1) !== 0) [, position] = readU32(module, position);
      } else if (kind === GLOBAL_KIND) {
        position += 2; // valtype, mutability
        importedGlobals++;
      } else throw new Error(`wasm: unknown import kind ${kind}`);
    }
  }
  const globals = sections.find((s) => s.id === GLOBAL_SECTION);
  const indices: number[] = [];
  if (globals === undefined) return indices;
  const [count, first] = readU32(module, globals.contentStart);
  let position = first;
  for (let i = 0; i < count; i++) {
    const mutable = module[position + 1] === 1;
    position = skipInitExpression(module, position + 2);
    if (mutable) indices.push(importedGlobals + i);
  }
  if (position !== globals.end) throw new Error("wasm: global section did not parse to its end");
  return indices;
}

/** The module with an export `mutableGlobalExportName(i)` added for each mutable global it defines. */
export function exportMutableGlobals(module: Uint8Array): {
  module: Uint8Array;
  indices: number[];
} {
  const indices = mutableGlobalIndices(module);
  const added = indices.map((index) => {
    const name = utf8.encode(mutableGlobalExportName(index));
    return [...writeU32(name.length), ...name, GLOBAL_KIND, ...writeU32(index)];
  });
  const sections = sectionsOf(module);
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let hadExports = false;
  for (const section of sections) {
    if (section.id !== EXPORT_SECTION) {
      parts.push(module.subarray(section.start, section.end));
      continue;
    }
    hadExports = true;
    const [count, first] = readU32(module, section.contentStart);
    const body = [
      ...writeU32(count + added.length),
      ...module.subarray(first, section.end),
      ...added.flat(),
    ];
    parts.push(Uint8Array.from([EXPORT_SECTION, ...writeU32(body.length), ...body]));
  }
  if (!hadExports) throw new Error("wasm: a mapping without an export section");
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { module: out, indices };
}
