/**
 * Drops exports a host never reads from a compiled mapping's export section. graph-ts exports its
 * whole `TypeId` enum as ~180 globals; V8 builds a `WebAssembly.Global` object for each on every
 * instantiation, which was most of the cost of the fresh instance per handler call. The code,
 * data and every function export stay byte for byte the same.
 */
import { readU32, writeU32 } from "./wasmLeb128.ts";

const EXPORT_SECTION = 7;
const GLOBAL_KIND = 3;
const utf8 = new TextDecoder();

/** The module with every exported global whose name `drop` accepts removed from its exports. */
export function trimWasmExports(module: Uint8Array, drop: (name: string) => boolean): Uint8Array {
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  let offset = 8;
  while (offset < module.length) {
    const id = module[offset] ?? 0;
    const [size, contentStart] = readU32(module, offset + 1);
    const end = contentStart + size;
    if (id !== EXPORT_SECTION) {
      parts.push(module.subarray(offset, end));
      offset = end;
      continue;
    }
    const [count, first] = readU32(module, contentStart);
    const kept: Uint8Array[] = [];
    let position = first;
    for (let i = 0; i < count; i++) {
      const entryStart = position;
      const [nameLength, nameStart] = readU32(module, position);
      const name = utf8.decode(module.subarray(nameStart, nameStart + nameLength));
      const kind = module[nameStart + nameLength];
      const [, next] = readU32(module, nameStart + nameLength + 1);
      position = next;
      if (!(kind === GLOBAL_KIND && drop(name))) kept.push(module.subarray(entryStart, position));
    }
    const body = [...writeU32(kept.length), ...kept.flatMap((entry) => [...entry])];
    parts.push(Uint8Array.from([EXPORT_SECTION, ...writeU32(body.length), ...body]));
    offset = end;
  }
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
