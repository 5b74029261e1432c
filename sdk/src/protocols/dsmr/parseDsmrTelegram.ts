import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { crc16Arc } from "./crc16Arc.ts";
import { DSMR_OBIS_CATALOG } from "./dsmrObisCatalog.ts";
import { parseDsmrTimestamp } from "./parseDsmrTimestamp.ts";
import type { DsmrIssue, DsmrObject, DsmrTelegram, DsmrValue, DsmrVersion } from "./types.ts";

export type ParseDsmrTelegramParameters = string | Uint8Array;
export type ParseDsmrTelegramReturnType = DsmrTelegram;
export type ParseDsmrTelegramErrorType = ProtocolFrameError;

/** The longest telegram accepted; e-MUCS with 13 months of demand history is ~2 KiB. */
export const DSMR_MAX_TELEGRAM_BYTES = 16_384;

// A COSEM line: OBIS code A-B:C.D.E with an optional .F/*F group, then one or
// more parenthesised fields. No nested quantifiers, so matching stays linear
// on hostile input.
const OBIS_LINE =
  /^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[.*]\d{1,3})?((?:\([^()]*\))+)$/;
const HEADER = /^\/([A-Za-z]{3})(\d)(.{1,96})$/;
const NUMBER_WITH_UNIT = /^([+-]?\d+(?:\.\d+)?)(?:\*(.{1,16}))?$/;

/** Registers whose value the readings depend on, with the units a meter may print. */
const REQUIRED_UNITS: Readonly<Record<string, readonly string[]>> = {
  "1-0:1.8.0": ["kWh", "Wh"],
  "1-0:1.8.1": ["kWh", "Wh"],
  "1-0:1.8.2": ["kWh", "Wh"],
  "1-0:1.8.3": ["kWh", "Wh"],
  "1-0:1.8.4": ["kWh", "Wh"],
  "1-0:2.8.0": ["kWh", "Wh"],
  "1-0:2.8.1": ["kWh", "Wh"],
  "1-0:2.8.2": ["kWh", "Wh"],
  "1-0:2.8.3": ["kWh", "Wh"],
  "1-0:2.8.4": ["kWh", "Wh"],
  "1-0:1.7.0": ["kW", "W"],
  "1-0:2.7.0": ["kW", "W"],
  "1-0:21.7.0": ["kW", "W"],
  "1-0:41.7.0": ["kW", "W"],
  "1-0:61.7.0": ["kW", "W"],
  "1-0:22.7.0": ["kW", "W"],
  "1-0:42.7.0": ["kW", "W"],
  "1-0:62.7.0": ["kW", "W"],
  "1-0:32.7.0": ["V"],
  "1-0:52.7.0": ["V"],
  "1-0:72.7.0": ["V"],
  "1-0:31.7.0": ["A"],
  "1-0:51.7.0": ["A"],
  "1-0:71.7.0": ["A"],
};

function toLatin1(input: string | Uint8Array): string {
  if (typeof input === "string") return input;
  let text = "";
  // Chunked so String.fromCharCode never gets more arguments than the engine allows.
  for (let offset = 0; offset < input.length; offset += 4096) {
    text += String.fromCharCode(...input.subarray(offset, offset + 4096));
  }
  return text;
}

function catalogKey(a: string, b: string, rest: string): string {
  const exact = `${a}-${b}:${rest}`;
  if (a === "0" && b !== "0" && Number(b) <= 4) return `0-n:${rest}`;
  return exact;
}

function typeValue(raw: string, timeField: boolean): DsmrValue {
  if (/^\d{12}[SW]$/.test(raw) || (timeField && /^\d{12}$/.test(raw))) {
    const parsed = parseDsmrTimestamp(raw);
    if (parsed !== undefined) return { kind: "timestamp", text: raw, ...parsed };
  }
  const number = NUMBER_WITH_UNIT.exec(raw);
  if (number !== null) return { kind: "number", text: number[1] ?? raw, unit: number[2] };
  return { kind: "text", text: raw };
}

function fail(
  reason: ConstructorParameters<typeof ProtocolFrameError>[1],
  path: string,
  message: string,
): never {
  throw new ProtocolFrameError("dsmr", reason, path, message);
}

/**
 * Parses one DSMR P1 telegram (DSMR 2.2, 4.x, 5.0 and the Belgian e-MUCS
 * variant): header, COSEM object lines with typed values, the CRC-16/ARC after
 * `!` where the version has one, and the 2.2 gas reading that continues on
 * the next line. Unknown OBIS codes and lines that are not COSEM objects are
 * kept and listed in `issues`; a wrong CRC, a missing terminator, a missing
 * CRC in a version that requires one, or an unreadable energy/power register
 * throws, so nothing wrong reaches the readings.
 *
 * @throws {ProtocolFrameError} reason bad-header | truncated | bad-crc | missing-crc | bad-value | bad-timestamp | wrong-length
 * @example
 * ```ts
 * const telegram = parseDsmrTelegram(text);
 * telegram.objects.find((o) => o.obis === "1-0:1.8.1")?.values[0]; // { kind: "number", text: "123456.789", unit: "kWh" }
 * ```
 */
export function parseDsmrTelegram(input: ParseDsmrTelegramParameters): ParseDsmrTelegramReturnType {
  if (input.length > DSMR_MAX_TELEGRAM_BYTES) {
    fail("wrong-length", "telegram", `longer than ${DSMR_MAX_TELEGRAM_BYTES} bytes`);
  }
  const text = toLatin1(input);
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== "/") fail("bad-header", "telegram", "does not start with '/'");
  const bang = text.indexOf("!", start);
  if (bang < 0) fail("truncated", "telegram", "no '!' end marker");

  const trailerLines = text.slice(bang + 1).split(/\r?\n/);
  const trailer = (trailerLines[0] ?? "").trim();
  if (trailerLines.slice(1).some((line) => line.trim() !== "")) {
    fail("bad-value", "trailer", "text after the CRC line");
  }
  let crc: DsmrTelegram["crc"];
  if (trailer !== "") {
    if (!/^[0-9A-Fa-f]{4}$/.test(trailer)) {
      fail("bad-crc", "crc", `'${trailer.slice(0, 8)}' is not 4 hex digits`);
    }
    crc = { expected: parseInt(trailer, 16), computed: crc16Arc(text.slice(start, bang + 1)) };
    if (crc.expected !== crc.computed) {
      fail(
        "bad-crc",
        "crc",
        `telegram says ${trailer.toUpperCase()}, bytes give ${crc.computed.toString(16).toUpperCase().padStart(4, "0")}`,
      );
    }
  }

  const lines = text.slice(start, bang).split(/\r?\n/);
  const header = HEADER.exec((lines[0] ?? "").trimEnd());
  if (header === null) fail("bad-header", "line 1", "header is not /XXXn<identification>");

  const objects: DsmrObject[] = [];
  const issues: DsmrIssue[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = (lines[index] ?? "").trim();
    const lineNumber = index + 1;
    if (line === "") continue;
    const previous = objects.at(-1);
    // DSMR 2.2 puts the hourly gas value on the line after 0-n:24.3.0.
    if (line.startsWith("(") && previous !== undefined && /^\((?:[^()]*)\)$/.test(line)) {
      previous.values.push(typeValue(line.slice(1, -1), false));
      continue;
    }
    const match = OBIS_LINE.exec(line);
    if (match === null) {
      issues.push({ line: lineNumber, reason: "malformed-line", text: line });
      continue;
    }
    const [, a = "", b = "", c = "", d = "", e = "", fields = ""] = match;
    const obis = `${a}-${b}:${c}.${d}.${e}`;
    const key = catalogKey(a, b, `${c}.${d}.${e}`);
    const name = DSMR_OBIS_CATALOG[key];
    if (name === undefined) issues.push({ line: lineNumber, reason: "unknown-obis", text: line });
    const rawValues = fields.slice(1, -1).split(")(");
    const values = rawValues.map((raw, position) =>
      typeValue(raw, key === "0-n:24.3.0" && position === 0),
    );
    objects.push({ obis, name, values, line: lineNumber });

    const units = REQUIRED_UNITS[obis];
    if (units !== undefined) {
      const value = values[0];
      if (value?.kind !== "number" || value.unit === undefined || !units.includes(value.unit)) {
        fail(
          "bad-value",
          `line ${lineNumber} (${obis})`,
          `expected a number in ${units.join(" or ")}`,
        );
      }
    }
  }

  const find = (obis: string): DsmrObject | undefined => objects.find((o) => o.obis === obis);
  const nlVersion = find("1-3:0.2.8")?.values[0]?.text;
  const beVersion = find("0-0:96.1.4")?.values[0]?.text;
  let version: DsmrVersion = "2.2";
  if (beVersion !== undefined) version = "e-MUCS";
  else if (nlVersion !== undefined) version = nlVersion.startsWith("5") ? "5" : "4";
  if (version !== "2.2" && crc === undefined) {
    fail("missing-crc", "crc", `DSMR ${version} telegrams end with a CRC after '!'`);
  }

  let timestampMs: number | undefined;
  const clock = find("0-0:1.0.0");
  if (clock !== undefined) {
    const value = clock.values[0];
    if (value?.kind !== "timestamp") {
      fail("bad-timestamp", `line ${clock.line} (0-0:1.0.0)`, "not YYMMDDhhmmss[S|W]");
    }
    timestampMs = value.timestampMs;
  }

  return {
    identification: (lines[0] ?? "").trimEnd().slice(1),
    manufacturer: header[1] ?? "",
    version,
    versionCode: beVersion ?? nlVersion,
    crc,
    timestampMs,
    equipmentId: find("0-0:96.1.1")?.values[0]?.text,
    objects,
    issues,
  };
}
