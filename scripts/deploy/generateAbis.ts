/**
 * Writes sdk/src/contracts/generated/abis.ts from the Hardhat artifacts: one `as const` ABI per
 * deployable contract, so product code gets typed viem contracts without reading build output.
 *
 * Run after `npx hardhat build`: `node scripts/deploy/generateAbis.ts` (`--check` fails when the
 * committed file is stale instead of writing it).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { z } from "zod";
import { CONTRACT_NAMES } from "./contractNames.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const outFile = path.join(root, "sdk/src/contracts/generated/abis.ts");
const artifactSchema = z.object({ contractName: z.string(), abi: z.array(z.unknown()) });

/** `EnergyRegistry` → `energyRegistryAbi`. */
function exportName(contractName: string): string {
  return `${contractName.charAt(0).toLowerCase()}${contractName.slice(1)}Abi`;
}

async function render(): Promise<string> {
  const parts = [
    "// generated — do not edit. Regenerate: `npx hardhat build && node scripts/deploy/generateAbis.ts`.",
    "",
  ];
  for (const name of CONTRACT_NAMES) {
    const file = path.join(root, "artifacts/contracts", `${name}.sol`, `${name}.json`);
    const artifact = artifactSchema.parse(JSON.parse(await readFile(file, "utf8")));
    parts.push(`export const ${exportName(name)} = ${JSON.stringify(artifact.abi)} as const;`, "");
  }
  parts.push(
    "/** Every ABI by contract name, as in deployments/<chainId>.json. */",
    `export const abis = { ${CONTRACT_NAMES.map((n) => `${n}: ${exportName(n)}`).join(", ")} } as const;`,
    "",
  );
  const options = (await prettier.resolveConfig(outFile)) ?? {};
  return prettier.format(parts.join("\n"), { ...options, filepath: outFile });
}

const text = await render();
if (process.argv.includes("--check")) {
  const current = await readFile(outFile, "utf8").catch(() => "");
  if (current !== text) {
    console.error(
      `${path.relative(root, outFile)} is stale: run node scripts/deploy/generateAbis.ts`,
    );
    process.exit(1);
  }
} else {
  await writeFile(outFile, text);
  console.log(`wrote ${path.relative(root, outFile)}`);
}
