/**
 * BER tags of SNMP varbind values (RFC 2578 section 7.1, RFC 3416 section 3):
 * the numbers every SNMP library reports, so the decoder needs no client.
 */
export const SNMP_TYPE = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

/**
 * APC / Schneider Electric PowerNet-MIB, rPDU2 group (enterprise 318,
 * `rPDU2 ::= { rARPDU 26 }` under 1.3.6.1.4.1.318.1.1). Column numbers as
 * PowerNet-MIB defines rPDU2DeviceStatusEntry and
 * rPDU2OutletMeteredStatusEntry; units from the objects' DESCRIPTIONs
 * ("in tenths of kilowatt-hours", "in hundredths of kilowatts"). Models
 * that lack a measurement answer -1.
 *
 * Checked against: the DESCRIPTION texts quoted by several monitoring
 * projects (Observium, LibreNMS, Zabbix templates) — not against a copy of
 * the MIB file itself, and not on hardware. The outlet energy column (.11)
 * is cited as .11 by two independent sources and as .8 by one; .11 is
 * used. Treat as unconfirmed until walked on a real rPDU2.
 */
export const APC_RPDU2_OIDS = {
  /** rPDU2DeviceStatusPower, INTEGER, hundredths of kW, per PDU in a chain. */
  deviceStatusPower: "1.3.6.1.4.1.318.1.1.26.4.3.1.5",
  /** rPDU2DeviceStatusEnergy, INTEGER, tenths of kWh ("user resettable"). */
  deviceStatusEnergy: "1.3.6.1.4.1.318.1.1.26.4.3.1.9",
  /** rPDU2OutletMeteredStatusCurrent, INTEGER, tenths of A. */
  outletMeteredStatusCurrent: "1.3.6.1.4.1.318.1.1.26.9.4.3.1.6",
  /** rPDU2OutletMeteredStatusPower, INTEGER, W. */
  outletMeteredStatusPower: "1.3.6.1.4.1.318.1.1.26.9.4.3.1.7",
  /** rPDU2OutletMeteredStatusEnergy, INTEGER, tenths of kWh. */
  outletMeteredStatusEnergy: "1.3.6.1.4.1.318.1.1.26.9.4.3.1.11",
} as const;

/**
 * Raritan PDU2-MIB (enterprise 13742, `pdu2 ::= { raritan 6 }`). Sensor
 * values are Unsigned32 (Gauge32 on the wire) in the unit of the sensor type
 * and must be divided by 10^…SensorDecimalDigits of the same index; rows are
 * indexed by pduId, inletId/outletId, sensorType. Cited from Raritan's "SNMP
 * MIB User Guide" (2019), section 1.3/1.4 (measurementsInletSensorValue
 * .1.3.6.1.4.1.13742.6.5.2.3.1.4.<pdu>.<inlet>.<sensorType>, decimal digits
 * under the inlet sensor configuration table) and PDU2-MIB's
 * SensorTypeEnumeration; the outlet OIDs mirror the inlet ones and were
 * checked only against third-party tools.
 */
export const RARITAN_PDU2_OIDS = {
  measurementsInletSensorValue: "1.3.6.1.4.1.13742.6.5.2.3.1.4",
  inletSensorDecimalDigits: "1.3.6.1.4.1.13742.6.3.3.4.1.7",
  measurementsOutletSensorValue: "1.3.6.1.4.1.13742.6.5.4.3.1.4",
  outletSensorDecimalDigits: "1.3.6.1.4.1.13742.6.3.5.4.1.7",
} as const;

/** PDU2-MIB SensorTypeEnumeration members the gateway reads, with their units. */
export const RARITAN_SENSOR_TYPE = {
  /** A */
  rmsCurrent: 1,
  /** V */
  rmsVoltage: 4,
  /** W */
  activePower: 5,
  /** ratio */
  powerFactor: 7,
  /** Wh, cumulative */
  activeEnergy: 8,
} as const;

/** The kinds of PDU the SNMP decoder understands. */
export type SnmpPduProfile = "apc-rpdu2" | "raritan-pdu2";

/**
 * The table columns to walk for a profile (each a subtree), in an order
 * where scaling columns come with their values.
 *
 * @example
 * ```ts
 * for (const oid of snmpPduPollOids("raritan-pdu2")) varbinds.push(...(await walk(oid)));
 * ```
 */
export function snmpPduPollOids(profile: SnmpPduProfile): string[] {
  return profile === "apc-rpdu2" ? Object.values(APC_RPDU2_OIDS) : Object.values(RARITAN_PDU2_OIDS);
}
