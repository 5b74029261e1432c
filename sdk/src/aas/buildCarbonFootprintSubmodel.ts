import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";
import { IDTA_CARBON_FOOTPRINT, type IdtaReferenceUnit } from "./carbonFootprintSemanticIds.ts";

type Types = typeof AasCore.types;
type Submodel = InstanceType<Types["Submodel"]>;
type SubmodelElement = AasCore.types.ISubmodelElement;

/** One `ProductCarbonFootprint` entry of the IDTA 02023 submodel. */
export interface CarbonFootprintEntry {
  /** `PcfCalculationMethods`, e.g. `GHG Protocol`, `ISO 14067`. */
  calculationMethods: readonly string[];
  /** `PcfCO2eq`: kg CO2e for `quantity` of `referenceUnit`, an exact decimal string. */
  co2eqKg: string;
  referenceUnit: IdtaReferenceUnit;
  /** `QuantityOfMeasureForCalculation`, a decimal string (xs:double in the template). */
  quantity: string;
  lifeCyclePhases: readonly string[];
  /** RFC 3339 (xs:dateTime), UTC. */
  publicationDate: string;
  expirationDate?: string | undefined;
}

export interface BuildCarbonFootprintSubmodelParameters {
  id: string;
  entries: readonly CarbonFootprintEntry[];
  /** Free-form notes kept as AAS extensions on the submodel (name → value), e.g. the declared boundary. */
  extensions?: Readonly<Record<string, string>> | undefined;
  description?: string | undefined;
}

const externalRef = (value: string) =>
  new aas.types.Reference(aas.types.ReferenceTypes.ExternalReference, [
    new aas.types.Key(aas.types.KeyTypes.GlobalReference, value),
  ]);

function property(
  semanticId: string,
  valueType: AasCore.types.DataTypeDefXsd,
  value: string,
  idShort: string | null,
): InstanceType<Types["Property"]> {
  const element = new aas.types.Property(valueType);
  element.idShort = idShort;
  element.semanticId = externalRef(semanticId);
  element.value = value;
  return element;
}

function stringList(
  idShort: string,
  semanticId: string,
  elementSemanticId: string,
  values: readonly string[],
): InstanceType<Types["SubmodelElementList"]> {
  const list = new aas.types.SubmodelElementList(aas.types.AasSubmodelElements.Property);
  list.idShort = idShort;
  list.semanticId = externalRef(semanticId);
  list.semanticIdListElement = externalRef(elementSemanticId);
  list.valueTypeListElement = aas.types.DataTypeDefXsd.String;
  // Elements of a list carry no idShort (AASd-120).
  list.value = values.map((value) =>
    property(elementSemanticId, aas.types.DataTypeDefXsd.String, value, null),
  );
  return list;
}

function entryCollection(
  entry: CarbonFootprintEntry,
): InstanceType<Types["SubmodelElementCollection"]> {
  const ids = IDTA_CARBON_FOOTPRINT;
  const xs = aas.types.DataTypeDefXsd;
  const value: SubmodelElement[] = [
    stringList(
      "PcfCalculationMethods",
      ids.pcfCalculationMethods,
      ids.pcfCalculationMethod,
      entry.calculationMethods,
    ),
    property(ids.pcfCo2eq, xs.Decimal, entry.co2eqKg, "PcfCO2eq"),
    property(
      ids.referenceImpactUnitForCalculation,
      xs.String,
      entry.referenceUnit,
      "ReferenceImpactUnitForCalculation",
    ),
    property(
      ids.quantityOfMeasureForCalculation,
      xs.Double,
      entry.quantity,
      "QuantityOfMeasureForCalculation",
    ),
    stringList("LifeCyclePhases", ids.lifeCyclePhases, ids.lifeCyclePhase, entry.lifeCyclePhases),
    property(ids.publicationDate, xs.DateTime, entry.publicationDate, "PublicationDate"),
  ];
  if (entry.expirationDate !== undefined)
    value.push(property(ids.expirationDate, xs.DateTime, entry.expirationDate, "ExpirationDate"));
  const collection = new aas.types.SubmodelElementCollection();
  collection.semanticId = externalRef(ids.productCarbonFootprint);
  collection.value = value;
  return collection;
}

/**
 * The IDTA 02023 Carbon Footprint submodel (v1.0) with one
 * `ProductCarbonFootprint` per entry, every element under the template's
 * semantic ids. Pure; verify the result with `verifyAasEnvironment`.
 *
 * @example
 * ```ts
 * const submodel = buildCarbonFootprintSubmodel({ id: "urn:ei:aas:…:carbon-footprint", entries: [entry] });
 * ```
 */
export function buildCarbonFootprintSubmodel(
  parameters: BuildCarbonFootprintSubmodelParameters,
): Submodel {
  const ids = IDTA_CARBON_FOOTPRINT;
  const submodel = new aas.types.Submodel(parameters.id);
  submodel.idShort = "CarbonFootprint";
  submodel.kind = aas.types.ModellingKind.Instance;
  submodel.semanticId = externalRef(ids.submodel);
  const administration = new aas.types.AdministrativeInformation();
  administration.version = "1";
  administration.revision = "0";
  administration.templateId = ids.templateId;
  submodel.administration = administration;
  if (parameters.description !== undefined)
    submodel.description = [new aas.types.LangStringTextType("en", parameters.description)];
  const list = new aas.types.SubmodelElementList(
    aas.types.AasSubmodelElements.SubmodelElementCollection,
  );
  list.idShort = "ProductCarbonFootprints";
  list.semanticId = externalRef(ids.productCarbonFootprints);
  list.semanticIdListElement = externalRef(ids.productCarbonFootprint);
  list.value = parameters.entries.map(entryCollection);
  submodel.submodelElements = [list];
  const extensions = Object.entries(parameters.extensions ?? {});
  if (extensions.length > 0)
    submodel.extensions = extensions.map(([name, value]) => {
      const extension = new aas.types.Extension(name);
      extension.valueType = aas.types.DataTypeDefXsd.String;
      extension.value = value;
      return extension;
    });
  return submodel;
}

export { externalRef as aasExternalReference };
