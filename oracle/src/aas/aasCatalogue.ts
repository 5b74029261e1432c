import type { Hex } from "viem";
import {
  footprintDocumentSchema,
  type FootprintDocument,
} from "@energy-intelligence/sdk/footprints/footprintDocumentSchema";
import {
  lotProofExtensionDataSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";
import { buildLotAas, buildMachineAas, type AasCore } from "@energy-intelligence/sdk/aas/index";
import {
  parseStoredFootprint,
  type PactFootprintsRepository,
} from "../pact/pactFootprintsRepository.ts";
import type { ProductLotsRepository } from "../lots/productLotsRepository.ts";

export interface AasCatalogueView {
  shells: readonly AasCore.types.AssetAdministrationShell[];
  submodels: readonly AasCore.types.Submodel[];
}

export interface AasCatalogueSources {
  /** The PACT footprints the gateway published for its minted lots (one per lot). */
  footprints: PactFootprintsRepository;
  /** The lots, for their footprint documents (machines and their metered energy). */
  lots: ProductLotsRepository;
  /** Most lots read for machine shells. Default 1000. */
  maxLots?: number | undefined;
  /** A stored footprint that fails the PACT schema: it gets no shell (the routes log it). */
  onUnreadable?: ((id: string, reason: string) => void) | undefined;
  /** Called for each environment actually built (tests count rebuilds with it). */
  onBuild?: ((kind: "lot" | "machine", key: string) => void) | undefined;
}

type MachineLot = Parameters<typeof buildMachineAas>[0]["lots"][number];

interface LotEntry {
  /** The stored footprint JSON the entry was built from: a republished lot differs here. */
  json: string;
  /** Unique per build, so machine shells know when one of their lots changed. */
  serial: number;
  /** Its lot document was not in the store yet: read it again next time. */
  documentMissing: boolean;
  shells: AasCore.types.AssetAdministrationShell[];
  submodels: AasCore.types.Submodel[];
  /** The lot's machines, when its proof and document could be read. */
  metered?: {
    electricityMethod: "market" | "location";
    document: FootprintDocument;
    lot: MachineLot;
  };
}

interface MachineEntry {
  /** The lot builds (serials) the machine shell was built from. */
  signature: string;
  shells: AasCore.types.AssetAdministrationShell[];
  submodels: AasCore.types.Submodel[];
}

const lotKey = (lotId: string): Hex => `0x${BigInt(lotId).toString(16).padStart(64, "0")}`;

/**
 * Every shell and submodel the gateway can serve, in a stable order (lots by
 * footprint creation, then machines by id): a lot shell for each published
 * PACT footprint, built from that footprint (so AAS and PACT state the same
 * figure), and a machine shell for each machine the lots' footprint documents
 * metered.
 *
 * Built environments are kept per lot (keyed by the stored footprint JSON, so
 * a lot published again is rebuilt) and per machine (keyed by the lots that
 * metered it, so a new lot rebuilds only its machines). A read costs one query
 * for the footprint rows; unchanged lots and machines are not rebuilt.
 */
export class AasCatalogue {
  readonly #sources: AasCatalogueSources;
  readonly #lots = new Map<string, LotEntry>();
  readonly #machines = new Map<string, MachineEntry>();
  readonly #unreadable = new Map<string, string>();
  #serial = 0;
  #view: { lots: readonly LotEntry[]; view: AasCatalogueView } | undefined;

  constructor(sources: AasCatalogueSources) {
    this.#sources = sources;
  }

  current(): AasCatalogueView {
    const rows = this.#sources.footprints.stored().slice(0, this.#sources.maxLots ?? 1000);
    const lots = rows.flatMap((row) => this.#lot(row) ?? []);
    const previous = this.#view;
    if (previous?.lots.length === lots.length && lots.every((e, i) => e === previous.lots[i]))
      return previous.view;

    const shells: AasCore.types.AssetAdministrationShell[] = [];
    const submodels: AasCore.types.Submodel[] = [];
    const machines = new Map<
      string,
      {
        siteId: Hex;
        machineId: Hex;
        electricityMethod: "market" | "location";
        lots: MachineLot[];
        signature: string[];
      }
    >();
    for (const entry of lots) {
      shells.push(...entry.shells);
      submodels.push(...entry.submodels);
      const metered = entry.metered;
      if (metered === undefined) continue;
      for (const machine of metered.document.machines) {
        const key = `${metered.document.siteId}:${machine.machineId}`.toLowerCase();
        const found = machines.get(key) ?? {
          siteId: metered.document.siteId,
          machineId: machine.machineId,
          // The method of the first lot that metered it, so machine and lot shells state the same kind of figure.
          electricityMethod: metered.electricityMethod,
          lots: [],
          signature: [],
        };
        found.lots.push(metered.lot);
        found.signature.push(String(entry.serial));
        machines.set(key, found);
      }
    }
    const machineKeys = [...machines.keys()].sort();
    for (const key of machineKeys) {
      const machine = machines.get(key);
      if (machine === undefined) continue;
      const machineSignature = machine.signature.join("|");
      let built = this.#machines.get(key);
      if (built?.signature !== machineSignature) {
        const environment = buildMachineAas(machine);
        this.#sources.onBuild?.("machine", key);
        built = {
          signature: machineSignature,
          shells: [...environment.overAssetAdministrationShellsOrEmpty()],
          submodels: [...environment.overSubmodelsOrEmpty()],
        };
        this.#machines.set(key, built);
      }
      shells.push(...built.shells);
      submodels.push(...built.submodels);
    }
    // Forget what is no longer served (a lot past maxLots, a machine no lot meters).
    const served = new Set(rows.map((row) => row.id));
    for (const id of this.#lots.keys()) if (!served.has(id)) this.#lots.delete(id);
    for (const id of this.#unreadable.keys()) if (!served.has(id)) this.#unreadable.delete(id);
    for (const key of this.#machines.keys()) if (!machines.has(key)) this.#machines.delete(key);
    this.#view = { lots, view: { shells, submodels } };
    return this.#view.view;
  }

  #lot(row: { id: string; json: string }): LotEntry | undefined {
    const cached = this.#lots.get(row.id);
    if (cached?.json === row.json && !cached.documentMissing) return cached;
    if (this.#unreadable.get(row.id) === row.json) return undefined;
    const stored = parseStoredFootprint(row.json);
    if (stored.status !== "found") {
      // Reported once per stored version, not on every read.
      this.#unreadable.set(row.id, row.json);
      this.#sources.onUnreadable?.(row.id, stored.reason);
      return undefined;
    }
    const footprint = stored.footprint;
    const metered = this.#metered(footprint);
    // Same footprint, document still not stored: nothing to rebuild.
    if (cached?.json === row.json && metered === "missing") return cached;
    let shells = cached?.json === row.json ? cached.shells : undefined;
    let submodels = cached?.json === row.json ? cached.submodels : undefined;
    if (shells === undefined || submodels === undefined) {
      const environment = buildLotAas({ footprint });
      this.#sources.onBuild?.("lot", row.id);
      shells = [...environment.overAssetAdministrationShellsOrEmpty()];
      submodels = [...environment.overSubmodelsOrEmpty()];
    }
    const entry: LotEntry = {
      json: row.json,
      serial: (this.#serial += 1),
      documentMissing: metered === "missing",
      shells,
      submodels,
    };
    if (metered !== undefined && metered !== "missing") entry.metered = metered;
    this.#lots.set(row.id, entry);
    return entry;
  }

  /** The lot's machines; "missing" while its document is not in the store. */
  #metered(footprint: PactProductFootprint): LotEntry["metered"] | "missing" {
    const proof = lotProofExtensionDataSchema.safeParse(footprint.extensions?.[0]?.data);
    if (!proof.success) return undefined;
    const bytes = this.#sources.lots.document(lotKey(proof.data.lotId));
    if (bytes === undefined) return "missing";
    const parsed = footprintDocumentSchema.safeParse(
      JSON.parse(Buffer.from(bytes).toString("utf8")),
    );
    if (!parsed.success) return undefined;
    return {
      electricityMethod: proof.data.electricityMethod,
      document: parsed.data,
      lot: {
        lotId: BigInt(proof.data.lotId),
        document: parsed.data,
        mintedAtMs: Date.parse(footprint.created),
      },
    };
  }
}
