export {
  SEALED_CONTAINER_FORMAT,
  SEALING_SCHEME,
  sealedContainerSchema,
  sealedRecipientSchema,
} from "./sealedContainerSchema.ts";
export type { SealedContainer, SealedRecipient } from "./sealedContainerSchema.ts";
export { sealContainerDocument } from "./sealContainerDocument.ts";
export type {
  SealContainerDocumentErrorType,
  SealContainerDocumentParameters,
} from "./sealContainerDocument.ts";
export { openSealedContainer } from "./openSealedContainer.ts";
export type {
  OpenSealedContainerErrorType,
  OpenSealedContainerParameters,
} from "./openSealedContainer.ts";
export { OpenSealedContainerError } from "./OpenSealedContainerError.ts";
export { generateAuditorKeyPair } from "./generateAuditorKeyPair.ts";
export type { AuditorKeyPair } from "./generateAuditorKeyPair.ts";
export { auditorPublicKey } from "./auditorPublicKey.ts";
export type { AuditorPublicKeyErrorType } from "./auditorPublicKey.ts";
