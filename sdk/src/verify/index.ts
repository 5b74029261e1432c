export { IpfsBlockMismatchError, IpfsBlockUnavailableError } from "./ipfsBlockErrors.ts";
export { readVerifiedUnixfsFile } from "./readVerifiedUnixfsFile.ts";
export type { BlockSource } from "./readVerifiedUnixfsFile.ts";
export { gatewayBlockSource } from "./gatewayBlockSource.ts";
export { findContainerAnchor } from "./findContainerAnchor.ts";
export type { ContainerAnchor } from "./findContainerAnchor.ts";
export { readAnchorSignature } from "./readAnchorSignature.ts";
export { gatherAnchorFacts } from "./gatherAnchorFacts.ts";
export type { AnchorFacts, VerifyDeployments } from "./gatherAnchorFacts.ts";
export { finishReport } from "./verificationReport.ts";
export type { VerificationCheck, VerificationReport } from "./verificationReport.ts";
export { verifyContainerFromChain } from "./verifyContainerFromChain.ts";
export type {
  VerifyContainerFromChainParameters,
  VerifyContainerFromChainReturnType,
} from "./verifyContainerFromChain.ts";
export { verifyLotFromChain } from "./verifyLotFromChain.ts";
export type {
  VerifyLotFromChainParameters,
  VerifyLotFromChainReturnType,
} from "./verifyLotFromChain.ts";
