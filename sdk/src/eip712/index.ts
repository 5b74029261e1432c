export { assertEnergyTypedData } from "./assertEnergyTypedData.ts";
export type { AssertEnergyTypedDataErrorType } from "./assertEnergyTypedData.ts";
export { assertEoaSignature } from "./assertEoaSignature.ts";
export type { AssertEoaSignatureErrorType } from "./assertEoaSignature.ts";
export { assertTypedMessage } from "./assertTypedMessage.ts";
export type { AssertTypedMessageErrorType, Eip712Types } from "./assertTypedMessage.ts";
export { buildContainerBatchTypedData } from "./buildContainerBatchTypedData.ts";
export type {
  BuildContainerBatchTypedDataErrorType,
  BuildContainerBatchTypedDataParameters,
} from "./buildContainerBatchTypedData.ts";
export { buildFootprintTypedData } from "./buildFootprintTypedData.ts";
export type {
  BuildFootprintTypedDataErrorType,
  BuildFootprintTypedDataParameters,
} from "./buildFootprintTypedData.ts";
export { buildJobStampTypedData } from "./buildJobStampTypedData.ts";
export type {
  BuildJobStampTypedDataErrorType,
  BuildJobStampTypedDataParameters,
} from "./buildJobStampTypedData.ts";
export { eip712Domain } from "./eip712Domain.ts";
export type { Eip712DomainErrorType, Eip712DomainParameters } from "./eip712Domain.ts";
export { eip712TypeHash } from "./eip712TypeHash.ts";
export { eip712TypeString } from "./eip712TypeString.ts";
export { hashEip712TypedData } from "./hashEip712TypedData.ts";
export type { HashEip712TypedDataErrorType } from "./hashEip712TypedData.ts";
export type {
  ContainerBatch,
  ContainerBatchTypedData,
  ContainerHeader,
  Eip712Domain,
  EnergyTypedData,
  Footprint,
  FootprintTypedData,
  JobStamp,
  JobStampTypedData,
} from "./messageTypes.ts";
export { recoverEip712Signer } from "./recoverEip712Signer.ts";
export type {
  RecoverEip712SignerErrorType,
  RecoverEip712SignerParameters,
} from "./recoverEip712Signer.ts";
export { signEip712TypedData } from "./signEip712TypedData.ts";
export type {
  SignEip712TypedDataErrorType,
  SignEip712TypedDataParameters,
} from "./signEip712TypedData.ts";
export {
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  StampAction,
  StampChannel,
  containerBatchTypes,
  containerHeaderType,
  footprintTypes,
  jobStampTypes,
} from "./types.ts";
export { verifyEip712Signature } from "./verifyEip712Signature.ts";
export type {
  VerifyEip712SignatureErrorType,
  VerifyEip712SignatureParameters,
} from "./verifyEip712Signature.ts";
export { verifyEoaEip712Signature } from "./verifyEoaEip712Signature.ts";
export type {
  VerifyEoaEip712SignatureErrorType,
  VerifyEoaEip712SignatureParameters,
} from "./verifyEoaEip712Signature.ts";
