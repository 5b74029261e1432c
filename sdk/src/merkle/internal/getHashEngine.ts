import { jsHashEngine, type HashEngine } from "./hashEngine.ts";
import { createWasmHashEngine } from "./wasmHashEngine.ts";

let engine: HashEngine | undefined;

/**
 * The fastest hash engine this runtime supports, chosen once: the WebAssembly
 * engine (~5x the JS one per leaf, measured by `npm run bench -- merkle`)
 * where it compiles synchronously, the pure-JS engine otherwise.
 */
export function getHashEngine(): HashEngine {
  engine ??= createWasmHashEngine() ?? jsHashEngine;
  return engine;
}
