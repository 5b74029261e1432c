import type { Hex } from "viem";
import { footprintDocumentSchema } from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import { lotProofExtensionDataSchema } from "@energy-intelligence/sdk/pact/index";
import { buildLotAas, buildMachineAas, type AasCore } from "@energy-intelligence/sdk/aas/index";
import type { PactFootprintsRepository } from "../pact/pactFootprintsRepository.ts";
import type { ProductLotsRepository } from "../lots/productLotsRepository.ts";

export interface AasCatalogue {
  shells: AasCore.types.AssetAdministrationShell[];
  submodels: AasCore.types.Submodel[];
}

export interface AasCatalogueSources {
  /** The PACT footprints the gateway published for its minted lots (one per lot). */
  footprints: PactFootprintsRepository;
  /** The lots, for their footprint documents (machines and their metered energy). */
  lots: ProductLotsRepository;
  /** Most lots read for machine shells. Default 1000. */
  maxLots?: number | undefined;
}

const lotKey = (lotId: string): Hex => `0x${BigInt(lotId).toString(16).padStart(64, "0")}`;

/**
 * Every shell and submodel the gateway can serve, in a stable order (lots by
 * footprint creation, then machines by id): a lot shell for each published
 * PACT footprint, built from that footprint (so AAS and PACT state the same
 * figure), and a machine shell for each machine the lots' footprint
 * documents metered. Built from the store on each call.
 */
export function buildAasCatalogue(sources: AasCatalogueSources): AasCatalogue {
  const shells: AasCore.types.AssetAdministrationShell[] = [];
  const submodels: AasCore.types.Submodel[] = [];
  const machines = new Map<
    string,
    {
      siteId: Hex;
      machineId: Hex;
      electricityMethod: "market" | "location";
      lots: Parameters<typeof buildMachineAas>[0]["lots"][number][];
    }
  >();
  for (const footprint of sources.footprints.all().slice(0, sources.maxLots ?? 1000)) {
    const environment = buildLotAas({ footprint });
    shells.push(...environment.overAssetAdministrationShellsOrEmpty());
    submodels.push(...environment.overSubmodelsOrEmpty());
    const proof = lotProofExtensionDataSchema.safeParse(footprint.extensions?.[0]?.data);
    if (!proof.success) continue;
    const bytes = sources.lots.document(lotKey(proof.data.lotId));
    if (bytes === undefined) continue;
    const parsed = footprintDocumentSchema.safeParse(
      JSON.parse(Buffer.from(bytes).toString("utf8")),
    );
    if (!parsed.success) continue;
    for (const machine of parsed.data.machines) {
      const key = `${parsed.data.siteId}:${machine.machineId}`.toLowerCase();
      const entry = machines.get(key) ?? {
        siteId: parsed.data.siteId,
        machineId: machine.machineId,
        // The method of the first lot that metered it, so machine and lot shells state the same kind of figure.
        electricityMethod: proof.data.electricityMethod,
        lots: [],
      };
      entry.lots.push({
        lotId: BigInt(proof.data.lotId),
        document: parsed.data,
        mintedAtMs: Date.parse(footprint.created),
      });
      machines.set(key, entry);
    }
  }
  for (const key of [...machines.keys()].sort()) {
    const machine = machines.get(key);
    if (machine === undefined) continue;
    const environment = buildMachineAas(machine);
    shells.push(...environment.overAssetAdministrationShellsOrEmpty());
    submodels.push(...environment.overSubmodelsOrEmpty());
  }
  return { shells, submodels };
}
