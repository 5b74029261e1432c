export { allocateScope } from "./allocateScope.ts";
export type {
  AllocateScopeErrorType,
  AllocateScopeParameters,
  AllocateScopeReturnType,
} from "./allocateScope.ts";
export { allocationRulesSchema } from "./allocationRulesSchema.ts";
export type {
  AllocatedAmounts,
  AllocationChannel,
  AllocationJob,
  AllocationMachine,
  AllocationRules,
  HourAllocation,
  HourFactors,
  JobAllocation,
  MachineAllocation,
  OverlapRule,
  ScopeAllocation,
  ShareRule,
} from "./types.ts";
