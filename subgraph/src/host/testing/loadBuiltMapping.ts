/**
 * Test helpers: a built mapping compiled as the runtime compiles it (mutable globals exported), and
 * imports that fail loudly if a test's code path reaches a host function.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { exportMutableGlobals } from "../exportMutableGlobals.ts";
import { DEFAULT_BUILD_DIR } from "../readBuiltManifest.ts";
import { wasm, type WasmModule } from "../webAssemblyApi.ts";

/** Every import of `module` as a function that throws naming itself. */
export function throwingImports(module: WasmModule): Record<string, Record<string, unknown>> {
  const imports: Record<string, Record<string, unknown>> = {};
  for (const entry of wasm.Module.imports(module)) {
    (imports[entry.module] ??= {})[entry.name] = () => {
      throw new Error(`${entry.name} called`);
    };
  }
  return imports;
}

/** `build/<name>/<name>.wasm` with its mutable globals exported, compiled, with throwing imports. */
export async function loadBuiltMapping(name: string): Promise<{
  module: WasmModule;
  imports: Record<string, Record<string, unknown>>;
  indices: number[];
}> {
  const bytes = await readFile(path.join(DEFAULT_BUILD_DIR, name, `${name}.wasm`));
  const { module: rewritten, indices } = exportMutableGlobals(bytes);
  const module = await wasm.compile(rewritten);
  return { module, imports: throwingImports(module), indices };
}
