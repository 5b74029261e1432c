/** One metering channel of a LoRaWAN uplink. */
export interface LoraChannel {
  channel: number;
  /** Imported energy counter, Wh modulo 2^32. */
  energyImportedWh: number;
  /** Exported energy counter, Wh modulo 2^32. */
  energyExportedWh: number;
  /** Active power in 10 W steps, positive when importing. */
  powerDecawatts: number;
}

/** A decoded uplink payload. */
export interface LoraPayload {
  version: 1 | 2;
  /** Seconds between measurement and transmission (0 in version 1). */
  ageSeconds: number;
  channels: LoraChannel[];
}

/** A LoRaWAN uplink as a network server delivers it. */
export interface LoraUplink {
  networkServer: "ttn" | "chirpstack";
  /** Lower-case hex, 16 digits. */
  devEui: string;
  fCnt: number;
  fPort: number;
  payload: Uint8Array;
  receivedAtMs: number;
  radio: {
    /** Best RSSI over the gateways that heard it, dBm. */
    rssi: number | undefined;
    /** Best SNR over the gateways, dB. */
    snr: number | undefined;
    gatewayIds: string[];
  };
}
