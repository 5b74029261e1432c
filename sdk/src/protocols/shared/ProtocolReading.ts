/**
 * One normalised reading as a protocol parser hands it to the gateway's
 * adapters. Everything device-specific (OBIS codes, register maps, LoRa
 * bytes) is gone; what is left maps one-to-one onto the ingest reading.
 *
 * Energies are cumulative counters in integer milliwatt-hours as bigint:
 * sums over a plant's lifetime overflow 2^53 mWh after ~9 GWh, which one large
 * meter reaches.
 */
export interface ProtocolReading {
  /** The identifier the device itself reports (meter serial, DevEUI, SunSpec serial, PDU outlet id…). */
  deviceId: string;
  /** Channel on that device: 0 for a meter's total, an outlet or CT index otherwise. */
  channel: number;
  /** When the device measured it, Unix milliseconds. */
  timestampMs: number;
  /** Cumulative imported (consumed) energy counter. */
  energyImportedMilliWattHours: bigint;
  /** Cumulative exported (delivered to the grid) energy counter; 0n where the device has none. */
  energyExportedMilliWattHours: bigint;
  /** Instantaneous active power, positive when importing. */
  powerMilliWatts?: number;
  /** RMS voltage (first phase, or the only one). */
  voltageMilliVolts?: number;
  /** RMS current (first phase, or the only one). */
  currentMilliAmperes?: number;
  /** Power factor times 1000. */
  powerFactorPerMille?: number;
  /** measured: a revenue-grade or at least voltage-referenced counter; estimated: derived (e.g. power integrated, apparent power). */
  quality: "measured" | "estimated";
  /**
   * How the device is known to be who it says: serial (a local wire, P1 or
   * pulse input), polled (the gateway opened the connection to a configured
   * address: Modbus, SNMP, Redfish), network-server (a LoRaWAN network server
   * vouched for the DevEUI with the session keys).
   */
  authentication: "serial" | "polled" | "network-server";
}
