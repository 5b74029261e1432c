export {
  CONTAINER_DOCUMENT_FORMAT,
  CONTAINER_EMISSION_FLAGS,
  containerDocumentSchema,
  containerPublicPartSchema,
} from "./containerDocumentSchema.ts";
export type {
  ContainerChannelEntry,
  ContainerDocument,
  ContainerHourEntry,
  ContainerPublicPart,
  ContainerReadingEntry,
  CounterBoundaryJson,
  ReadingDetails,
} from "./containerDocumentSchema.ts";
export { buildContainer } from "./buildContainer.ts";
export type {
  BuildContainerErrorType,
  BuildContainerParameters,
  BuildContainerReturnType,
  ContainerChannelInput,
  ContainerDisclosure,
  ContainerFactorSources,
  ContainerReadingInput,
} from "./buildContainer.ts";
export { containerHeaderFromDocument } from "./containerHeaderFromDocument.ts";
export { containerReadingToLeaf } from "./containerReadingToLeaf.ts";
export { readingDetailsHash } from "./readingDetailsHash.ts";
export { computeContainerId } from "./computeContainerId.ts";
export type { ComputeContainerIdParameters } from "./computeContainerId.ts";
export { hashContainerHeader } from "./hashContainerHeader.ts";
export { verifyContainer, CONTAINER_CHECK_IDS } from "./verifyContainer.ts";
export type {
  ContainerCheck,
  ContainerCheckId,
  VerifyContainerParameters,
  VerifyContainerReturnType,
} from "./verifyContainer.ts";
export { READING_DISCLOSURE_FORMAT, readingDisclosureSchema } from "./readingDisclosureSchema.ts";
export type { ReadingDisclosure } from "./readingDisclosureSchema.ts";
export { buildReadingDisclosure } from "./buildReadingDisclosure.ts";
export type {
  BuildReadingDisclosureErrorType,
  BuildReadingDisclosureParameters,
} from "./buildReadingDisclosure.ts";
export { verifyReadingDisclosure } from "./verifyReadingDisclosure.ts";
export type {
  ReadingDisclosureCheck,
  VerifyReadingDisclosureReturnType,
} from "./verifyReadingDisclosure.ts";
