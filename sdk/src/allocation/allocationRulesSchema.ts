import { z } from "zod";

/** The declared allocation rules (types.ts explains each), as stored in a footprint document. */
export const allocationRulesSchema = z.strictObject({
  overlap: z.enum(["equal", "units"]),
  idle: z.enum(["energy", "machine-hours", "units", "none"]),
  overhead: z.enum(["energy", "machine-hours", "units", "none"]),
});
