export {
  DEVICE_AUTH_SCHEMES,
  DEVICE_MESSAGE_FORMAT,
  MAX_COUNTER_MILLIWATT_HOURS,
  MAX_READINGS_PER_MESSAGE,
  SIGNED_DEVICE_AUTH_SCHEMES,
  bytes32HexSchema,
  counterMilliWattHoursSchema,
  deviceMessageAuthSchema,
  deviceMessageBodySchema,
  deviceMessageSchema,
  deviceReadingSchema,
} from "./deviceMessageSchema.ts";
export type {
  DeviceAuthScheme,
  DeviceMessage,
  DeviceMessageAuth,
  DeviceMessageBody,
  DeviceReading,
  SignedDeviceAuthScheme,
} from "./deviceMessageSchema.ts";
export { canonicalDeviceMessageBody } from "./canonicalDeviceMessageBody.ts";
export { deviceKeyHash } from "./deviceKeyHash.ts";
export type { DeviceKeyHashErrorType, DeviceKeyHashParameters } from "./deviceKeyHash.ts";
export { DEVICE_KIND_CODES, deviceKindCode } from "./deviceKindCode.ts";
export { deviceMessageSigningBytes } from "./deviceMessageSigningBytes.ts";
export { deviceReadingsTopic } from "./deviceReadingsTopic.ts";
export { generateDeviceKey } from "./generateDeviceKey.ts";
export type { GenerateDeviceKeyReturnType } from "./generateDeviceKey.ts";
export { generateSecp256k1DeviceKey } from "./generateSecp256k1DeviceKey.ts";
export type {
  GenerateSecp256k1DeviceKeyErrorType,
  GenerateSecp256k1DeviceKeyReturnType,
} from "./generateSecp256k1DeviceKey.ts";
export { isDeviceMessage } from "./isDeviceMessage.ts";
export { parseDeviceMessage } from "./parseDeviceMessage.ts";
export type { ParseDeviceMessageErrorType } from "./parseDeviceMessage.ts";
export { parseDeviceTopic } from "./parseDeviceTopic.ts";
export { signDeviceMessage } from "./signDeviceMessage.ts";
export type {
  SignDeviceMessageErrorType,
  SignDeviceMessageParameters,
  SignDeviceMessageReturnType,
} from "./signDeviceMessage.ts";
export { verifyDeviceMessage } from "./verifyDeviceMessage.ts";
export type {
  VerifyDeviceMessageErrorType,
  VerifyDeviceMessageParameters,
  VerifyDeviceMessageReturnType,
} from "./verifyDeviceMessage.ts";
