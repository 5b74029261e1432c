import { aas } from "./loadAasCore.ts";
import type { AasCore } from "./loadAasCore.ts";

/** One failed constraint: where (`assetAdministrationShells[0].id`…) and what. */
export interface AasVerificationFailure {
  path: string;
  message: string;
}

/**
 * Runs aas-core's verification (every metamodel v3.0 constraint, recursively)
 * on an AAS class instance and lists the failures; empty when valid.
 */
export function verifyAasEnvironment(instance: AasCore.types.Class): AasVerificationFailure[] {
  const failures: AasVerificationFailure[] = [];
  for (const error of aas.verification.verify(instance, true))
    failures.push({ path: error.path.toString(), message: error.message });
  return failures;
}
