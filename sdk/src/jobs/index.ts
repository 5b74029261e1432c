export { deriveJobId, MAX_JOB_REFERENCE_LENGTH } from "./deriveJobId.ts";
export type { DeriveJobIdErrorType, DeriveJobIdParameters } from "./deriveJobId.ts";
export { decodeJobStampsError } from "./decodeJobStampsError.ts";
export { JobStampsError } from "./JobStampsError.ts";
export { readJob } from "./readJob.ts";
export type { OnChainJob, ReadJobParameters } from "./readJob.ts";
export { signJobStamp } from "./signJobStamp.ts";
export type {
  SignedJobStamp,
  SignJobStampErrorType,
  SignJobStampParameters,
} from "./signJobStamp.ts";
export { stampMany, stampManyCall } from "./stampMany.ts";
export type {
  StampManyCallParameters,
  StampManyErrorType,
  StampManyParameters,
} from "./stampMany.ts";
export { startJob, startJobCall } from "./startJob.ts";
export type { StartJobCallParameters, StartJobErrorType, StartJobParameters } from "./startJob.ts";
export { stopJob, stopJobCall } from "./stopJob.ts";
export type { StopJobCallParameters, StopJobErrorType, StopJobParameters } from "./stopJob.ts";
