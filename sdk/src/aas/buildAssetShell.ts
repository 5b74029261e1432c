import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";
import { shellIdOf } from "./aasIdentifiers.ts";

export interface BuildAssetShellParameters {
  globalAssetId: string;
  idShort: string;
  description: string;
  /** Submodels the shell refers to (by id). */
  submodelIds: readonly string[];
  /** Extra asset ids (name → value), e.g. the PACT footprint id or the on-chain token. */
  specificAssetIds?: Readonly<Record<string, string>> | undefined;
}

/** An Asset Administration Shell (metamodel v3.0) for one asset instance, referring to its submodels. */
export function buildAssetShell(
  parameters: BuildAssetShellParameters,
): AasCore.types.AssetAdministrationShell {
  const info = new aas.types.AssetInformation(aas.types.AssetKind.Instance);
  info.globalAssetId = parameters.globalAssetId;
  const specific = Object.entries(parameters.specificAssetIds ?? {});
  if (specific.length > 0)
    info.specificAssetIds = specific.map(
      ([name, value]) => new aas.types.SpecificAssetId(name, value),
    );
  const shell = new aas.types.AssetAdministrationShell(shellIdOf(parameters.globalAssetId), info);
  shell.idShort = parameters.idShort;
  shell.description = [new aas.types.LangStringTextType("en", parameters.description)];
  shell.submodels = parameters.submodelIds.map(
    (id) =>
      new aas.types.Reference(aas.types.ReferenceTypes.ModelReference, [
        new aas.types.Key(aas.types.KeyTypes.Submodel, id),
      ]),
  );
  return shell;
}
