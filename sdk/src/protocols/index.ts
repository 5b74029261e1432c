/** Device protocol parsers and codecs: pure, browser-safe, one function per file. */
export { ProtocolFrameError } from "./shared/ProtocolFrameError.ts";
export type { DeviceProtocol, ProtocolFrameErrorReason } from "./shared/ProtocolFrameError.ts";
export type { ProtocolReading } from "./shared/ProtocolReading.ts";
export { scaleDecimal } from "./shared/scaleDecimal.ts";
export { crc16Arc } from "./dsmr/crc16Arc.ts";
export { parseDsmrTelegram, DSMR_MAX_TELEGRAM_BYTES } from "./dsmr/parseDsmrTelegram.ts";
export { parseDsmrTimestamp } from "./dsmr/parseDsmrTimestamp.ts";
export { dsmrTelegramToReadings } from "./dsmr/dsmrTelegramToReadings.ts";
export { createDsmrStreamSplitter } from "./dsmr/createDsmrStreamSplitter.ts";
export type { DsmrStreamEvent, DsmrStreamSplitter } from "./dsmr/createDsmrStreamSplitter.ts";
export { DSMR_OBIS_CATALOG } from "./dsmr/dsmrObisCatalog.ts";
export type * from "./dsmr/types.ts";
export { decodeLoraPayload } from "./lora/decodeLoraPayload.ts";
export { encodeLoraPayload } from "./lora/encodeLoraPayload.ts";
export { encodeLoraDownlink } from "./lora/encodeLoraDownlink.ts";
export { generateTtnFormatter } from "./lora/generateTtnFormatter.ts";
export { parseTtnUplinkWebhook, ttnUplinkWebhookSchema } from "./lora/parseTtnUplinkWebhook.ts";
export {
  parseChirpstackUplinkEvent,
  chirpstackUplinkEventSchema,
} from "./lora/parseChirpstackUplinkEvent.ts";
export {
  loraUplinkToReadings,
  LORA_COUNTER_MODULUS_MILLIWATT_HOURS,
} from "./lora/loraUplinkToReadings.ts";
export {
  LORA_FRAME_LAYOUTS,
  LORA_UPLINK_FPORT,
  LORA_DOWNLINK_FPORT,
} from "./lora/loraPayloadLayout.ts";
export type * from "./lora/types.ts";
export { walkSunSpecModels, SUNSPEC_BASE_ADDRESSES } from "./sunspec/walkSunSpecModels.ts";
export type { SunSpecModelBlock, ReadHoldingRegisters } from "./sunspec/walkSunSpecModels.ts";
export { decodeSunSpecModel } from "./sunspec/decodeSunSpecModel.ts";
export type { SunSpecPoints } from "./sunspec/decodeSunSpecModel.ts";
export { sunspecModelsToReadings } from "./sunspec/sunspecModelsToReadings.ts";
export { accumulatePulseCount } from "./pulse/accumulatePulseCount.ts";
export type { PulseCounterState } from "./pulse/accumulatePulseCount.ts";
