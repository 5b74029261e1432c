/** DSMR generations, told apart by the version objects a telegram carries. */
export type DsmrVersion = "2.2" | "4" | "5" | "e-MUCS";

/** One parenthesised field of a COSEM line, typed by its shape. */
export type DsmrValue =
  | { kind: "number"; text: string; unit: string | undefined }
  | { kind: "timestamp"; text: string; timestampMs: number; dst: boolean | undefined }
  | { kind: "text"; text: string };

/** One COSEM object line: `1-0:1.8.1(123456.789*kWh)`. */
export interface DsmrObject {
  /** OBIS code as `A-B:C.D.E`, without a trailing `.255`/`*255`. */
  obis: string;
  /** What the code means, when it is in the catalogue. */
  name: string | undefined;
  values: DsmrValue[];
  /** 1-based line number inside the telegram (the header is line 1). */
  line: number;
}

/** Something in a telegram that was kept but not understood. */
export interface DsmrIssue {
  line: number;
  reason: "unknown-obis" | "malformed-line";
  text: string;
}

/** A parsed P1 telegram. */
export interface DsmrTelegram {
  /** Header line without the leading `/`, e.g. `ISk5\2MT382-1000`. */
  identification: string;
  /** The three-letter manufacturer code of the header. */
  manufacturer: string;
  version: DsmrVersion;
  /** The P1 version object: `1-3:0.2.8` (NL) or `0-0:96.1.4` (e-MUCS), when present. */
  versionCode: string | undefined;
  /** CRC as printed and as computed; undefined in versions without one. */
  crc: { expected: number; computed: number } | undefined;
  /** `0-0:1.0.0`, Unix ms; undefined in DSMR 2.2, which has no clock object. */
  timestampMs: number | undefined;
  /** Electricity meter identifier `0-0:96.1.1` as printed (hex in DSMR 4+). */
  equipmentId: string | undefined;
  objects: DsmrObject[];
  /** Unknown OBIS codes and malformed lines: kept, reported, not dropped silently. */
  issues: DsmrIssue[];
}
