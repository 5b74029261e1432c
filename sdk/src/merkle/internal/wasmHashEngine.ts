import { InvariantError } from "../../errors/index.ts";
import { KECCAK_WASM_BASE64 } from "../generated/keccakWasm.ts";
import { KECCAK_WASM_LAYOUT } from "../wasm/keccakWasmLayout.ts";
import {
  BATCH_LEAVES,
  jsHashEngine,
  treeIndicesFromOrder,
  type HashEngine,
  type TreeBuild,
} from "./hashEngine.ts";
import { sortLeafOrder } from "./sortLeafOrder.ts";

/**
 * The part of the WebAssembly JS API used here, typed locally: the sdk's
 * TypeScript lib has no DOM, and a global declaration would clash with
 * packages that do include it.
 */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** What the module exports (see wasm/assembleKeccakWasm.ts). */
export interface KeccakExports {
  memory: { readonly buffer: ArrayBuffer; grow: (pages: number) => number };
  keccak: (input: number, length: number, out: number) => void;
  hashLeaves: (input: number, count: number, stride: number, out: number) => void;
  placeLeaves: (nodes: number, hashes: number, order: number, count: number) => void;
  buildLevels: (nodes: number, count: number) => void;
}

const PAGE = 65536;
const HEAP = KECCAK_WASM_LAYOUT.heapStart;
/**
 * Builds needing more memory than this get an instance of their own, dropped
 * afterwards: a wasm memory never shrinks, and a process that built one
 * million-leaf tree should not keep ~100 MB for the small ones that follow.
 */
const SHARED_LIMIT_BYTES = 16 * 1024 * 1024;

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

function decodeBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A fresh instance of the keccak module `bytes` (tests pass freshly assembled bytes). */
export function instantiateKeccakWasm(bytes: Uint8Array): KeccakExports {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) throw new InvariantError("this runtime has no WebAssembly");
  return new wasm.Instance(new wasm.Module(bytes)).exports as KeccakExports;
}

class KeccakInstance {
  readonly #exports: KeccakExports;
  constructor(wasm: WebAssemblyApi, module: object) {
    this.#exports = new wasm.Instance(module).exports as KeccakExports;
  }
  get exports(): KeccakExports {
    return this.#exports;
  }
  /** Grows memory to at least `bytes`; views taken before a grow are detached. */
  reserve(bytes: number): void {
    const memory = this.#exports.memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
  }
  view(offset: number, length: number): Uint8Array {
    return new Uint8Array(this.#exports.memory.buffer, offset, length);
  }
}

/**
 * The WebAssembly engine, or undefined where the module cannot be compiled
 * synchronously (no WebAssembly, a CSP without 'wasm-unsafe-eval'). The module
 * is ~2 KB, under the 4 KB that browsers allow for synchronous compilation on
 * the main thread, so this works there too.
 */
export function createWasmHashEngine(): HashEngine | undefined {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (wasm === undefined) return undefined;
  let module: object;
  let shared: KeccakInstance;
  try {
    module = new wasm.Module(decodeBase64(KECCAK_WASM_BASE64));
    shared = new KeccakInstance(wasm, module);
  } catch {
    return undefined;
  }
  // Packing writes words through typed-array views of wasm (little-endian) memory.
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) return undefined;

  const instanceFor = (bytes: number): KeccakInstance => {
    if (bytes > SHARED_LIMIT_BYTES) return new KeccakInstance(wasm, module);
    return shared;
  };

  return {
    name: "wasm-keccak",
    hashLeafEncodings(packed, stride, count, out, outOffset) {
      const inputBytes = stride * count;
      if (HEAP + inputBytes + 32 * count > SHARED_LIMIT_BYTES) {
        // Rare (huge dynamic leaves): not worth a dedicated instance.
        jsHashEngine.hashLeafEncodings(packed, stride, count, out, outOffset);
        return;
      }
      const outAt = HEAP + align(inputBytes, 8);
      shared.reserve(outAt + 32 * count);
      shared.view(HEAP, inputBytes).set(packed.subarray(0, inputBytes));
      shared.exports.hashLeaves(HEAP, count, stride, outAt);
      out.set(shared.view(outAt, 32 * count), outOffset);
    },
    startTree(count, stride): TreeBuild {
      const batchLeaves = Math.min(count, BATCH_LEAVES);
      // Memory: [fixed][batch][leaf hashes 32n][order 4n][nodes 32(2n-1)]
      const batchAt = HEAP;
      const hashesAt = align(batchAt + stride * batchLeaves, 32);
      const orderAt = hashesAt + 32 * count;
      const nodesAt = align(orderAt + 4 * count, 32);
      const end = nodesAt + 32 * (2 * count - 1);
      if (end > 0xffff0000) {
        throw new InvariantError(`${count} leaves do not fit a 4 GB WebAssembly memory`);
      }
      const instance = instanceFor(end);
      instance.reserve(end);
      const batch = instance.view(batchAt, stride * batchLeaves);
      batch.fill(0);
      const { exports } = instance;
      let done = false;
      return {
        batch,
        batchLeaves,
        hashBatch(start, n) {
          exports.hashLeaves(batchAt, n, stride, hashesAt + 32 * start);
        },
        hashEncoding(index, encoded) {
          jsHashEngine.hashLeafEncodings(
            encoded,
            encoded.length,
            1,
            instance.view(hashesAt, 32 * count),
            32 * index,
          );
        },
        finish() {
          if (done) throw new InvariantError("a tree build was finished twice");
          done = true;
          const order = sortLeafOrder(instance.view(hashesAt, 32 * count), count);
          new Uint32Array(exports.memory.buffer, orderAt, count).set(order);
          exports.placeLeaves(nodesAt, hashesAt, orderAt, count);
          exports.buildLevels(nodesAt, count);
          // A copy: the tree must not share memory that the next build overwrites.
          const nodes = instance.view(nodesAt, 32 * (2 * count - 1)).slice();
          return { nodes, treeIndexOfValue: treeIndicesFromOrder(order, count) };
        },
      };
    },
  };
}
