import { aas, type AasCore } from "@energy-intelligence/sdk/aas/index";

type Value = string | null | Value[] | { [key: string]: Value };

function valueOf(element: AasCore.types.ISubmodelElement): Value {
  const property = aas.types.asProperty(element);
  if (property !== null) return property.value;
  const list = aas.types.asSubmodelElementList(element);
  if (list !== null) return [...list.overValueOrEmpty()].map(valueOf);
  const collection = aas.types.asSubmodelElementCollection(element);
  if (collection !== null) return objectOf([...collection.overValueOrEmpty()]);
  return null;
}

function objectOf(elements: readonly AasCore.types.ISubmodelElement[]): Record<string, Value> {
  const result: Record<string, Value> = {};
  for (const element of elements)
    if (element.idShort !== null) result[element.idShort] = valueOf(element);
  return result;
}

/**
 * The ValueOnly serialization (AAS Part 2, `$value`) of the element kinds our
 * submodels use: a property is its value, a list an array, a collection an
 * object keyed by idShort. Values stay strings as the metamodel holds them.
 */
export function submodelValueOnly(submodel: AasCore.types.Submodel): Record<string, Value> {
  return objectOf([...submodel.overSubmodelElementsOrEmpty()]);
}
