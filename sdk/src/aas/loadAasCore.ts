import { createRequire } from "node:module";
import type * as AasCore from "@aas-core-works/aas-core3.0-typescript";

/**
 * The aas-core3.0-typescript library (AAS metamodel v3.0: types,
 * verification, jsonization). Loaded through its CommonJS build: the ESM
 * build of 1.0.5 imports its own files without extensions, which Node's ESM
 * loader refuses (ERR_MODULE_NOT_FOUND). Bundlers for browsers resolve either
 * build; this module is the one place that knows.
 */
const requireCjs = createRequire(import.meta.url);
export const aas = requireCjs("@aas-core-works/aas-core3.0-typescript") as typeof AasCore;
export type { AasCore };
