/** Device protocol parsers and codecs: pure, browser-safe, one function per file. */
export { ProtocolFrameError } from "./shared/ProtocolFrameError.ts";
export type { DeviceProtocol, ProtocolFrameErrorReason } from "./shared/ProtocolFrameError.ts";
export type { ProtocolReading } from "./shared/ProtocolReading.ts";
export { scaleDecimal } from "./shared/scaleDecimal.ts";
export { parseDecimalFraction } from "./shared/parseDecimalFraction.ts";
export type { DecimalFraction } from "./shared/parseDecimalFraction.ts";
export { divideRounded } from "./shared/divideRounded.ts";
export { float32ToDecimalText } from "./shared/float32ToDecimalText.ts";
export { pollErrorToFrameError } from "./shared/pollErrorToFrameError.ts";
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
export {
  modbusRegisterMapSchema,
  modbusRegisterSchema,
  MODBUS_REGISTER_FIELDS,
  MODBUS_FIELD_UNITS,
  MODBUS_TYPE_WORDS,
} from "./modbus/modbusRegisterMapSchema.ts";
export type {
  ModbusRegister,
  ModbusRegisterField,
  ModbusRegisterMap,
  ModbusRegisterMapInput,
} from "./modbus/modbusRegisterMapSchema.ts";
export { parseModbusRegisterMap } from "./modbus/parseModbusRegisterMap.ts";
export { planModbusReads } from "./modbus/planModbusReads.ts";
export type { ModbusReadRequest } from "./modbus/planModbusReads.ts";
export { modbusRegistersToReading } from "./modbus/modbusRegistersToReading.ts";
export type { ModbusRegisterBlock } from "./modbus/modbusRegistersToReading.ts";
export { parseModbusReadResponse } from "./modbus/parseModbusReadResponse.ts";
export { modbusExceptionError } from "./modbus/modbusExceptionError.ts";
export { hasValidModbusRtuCrc, modbusRtuCrc16, withModbusRtuCrc } from "./modbus/modbusRtuCrc16.ts";
export { EASTRON_SDM630_MAP } from "./modbus/maps/eastronSdm630.ts";
export { CARLO_GAVAZZI_EM24_MAP } from "./modbus/maps/carloGavazziEm24.ts";
export {
  SNMP_TYPE,
  APC_RPDU2_OIDS,
  RARITAN_PDU2_OIDS,
  RARITAN_SENSOR_TYPE,
  snmpPduPollOids,
} from "./snmp/snmpPduOids.ts";
export type { SnmpPduProfile } from "./snmp/snmpPduOids.ts";
export { snmpVarbindsToReadings } from "./snmp/snmpVarbindsToReadings.ts";
export type { SnmpVarbind } from "./snmp/snmpVarbindsToReadings.ts";
export {
  redfishLinkSchema,
  redfishCollectionSchema,
  redfishPowerDistributionSchema,
  redfishEnergyExcerptSchema,
  redfishPowerExcerptSchema,
  redfishReadingExcerptSchema,
  redfishMeteredResourceSchema,
} from "./redfish/redfishSchemas.ts";
export type {
  RedfishCollection,
  RedfishMeteredResource,
  RedfishPowerDistribution,
} from "./redfish/redfishSchemas.ts";
export { parseRedfishResource } from "./redfish/parseRedfishResource.ts";
export { redfishPduToReadings } from "./redfish/redfishPduToReadings.ts";
export { parseEmonSerialLine, EMON_MAX_LINE_BYTES } from "./emon/parseEmonSerialLine.ts";
export { parseEmonMqttMessage } from "./emon/parseEmonMqttMessage.ts";
export type { EmonMqttValue } from "./emon/parseEmonMqttMessage.ts";
export { emonFrameToReadings } from "./emon/emonFrameToReadings.ts";
export type * from "./emon/types.ts";
