import { InvalidInputError } from "../errors/index.ts";
import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";

/** An AAS environment as the JSON of the metamodel v3.0 serialization (aas-core's jsonization). */
export function aasEnvironmentToJson(environment: AasCore.types.Environment): string {
  return JSON.stringify(aas.jsonization.toJsonable(environment), null, 2);
}

/** Reads AAS JSON back into an environment; a deserialization error names its path. */
export function aasEnvironmentFromJson(json: string): AasCore.types.Environment {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidInputError("environment", "is not JSON");
  }
  const result = aas.jsonization.environmentFromJsonable(value as AasCore.jsonization.JsonValue);
  if (result.error !== null)
    throw new InvalidInputError(`environment${result.error.path.toString()}`, result.error.message);
  if (result.value === null) throw new InvalidInputError("environment", "empty");
  return result.value;
}

/** Merges environments (shells and submodels of several assets) into one. */
export function mergeAasEnvironments(
  environments: readonly AasCore.types.Environment[],
): AasCore.types.Environment {
  return new aas.types.Environment(
    environments.flatMap((env) => [...env.overAssetAdministrationShellsOrEmpty()]),
    environments.flatMap((env) => [...env.overSubmodelsOrEmpty()]),
  );
}
