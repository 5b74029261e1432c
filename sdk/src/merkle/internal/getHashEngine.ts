import { jsHashEngine, type HashEngine } from "./hashEngine.ts";

/** The fastest hash engine this runtime supports. */
export function getHashEngine(): HashEngine {
  return jsHashEngine;
}
