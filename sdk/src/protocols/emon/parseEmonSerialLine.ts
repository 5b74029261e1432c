import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { EmonFrame } from "./types.ts";

/** Longest line accepted: a 12-CT emonTx line is ~300 bytes; more is noise. */
export const EMON_MAX_LINE_BYTES = 1024;

const KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/u;
const NUMBER = /^-?\d{1,15}(?:\.\d{1,9})?$/u;

/**
 * Parses one line of an emonTx v4 / emonPi serial port (115200 8N1), the
 * comma-separated `key:value` list the EmonLibCM firmware prints once per
 * datalog period, e.g. `MSG:12,Vrms:239.61,P1:412,E1:10500,pulse:0`.
 * Status lines the firmware also prints (a banner, `|` config echo) have no
 * `key:value` pair and are refused, so the caller can skip them by reason.
 *
 * @throws {ProtocolFrameError} wrong-length (too long), bad-header (not a
 *   `key:value` list), bad-value (a value that is not a decimal number, a key twice).
 * @example
 * ```ts
 * parseEmonSerialLine("MSG:1,Vrms:240.1,P1:100,E1:2000").values.E1; // "2000"
 * ```
 */
export function parseEmonSerialLine(line: string): EmonFrame {
  if (line.length > EMON_MAX_LINE_BYTES) {
    throw new ProtocolFrameError(
      "emon",
      "wrong-length",
      "$",
      `${line.length} characters, at most ${EMON_MAX_LINE_BYTES}`,
    );
  }
  const text = line.replace(/\r?\n$/u, "").trim();
  if (text === "") throw new ProtocolFrameError("emon", "bad-header", "$", "empty line");
  const values: Record<string, string> = {};
  for (const [index, pair] of text.split(",").entries()) {
    const colon = pair.indexOf(":");
    const key = colon < 0 ? pair : pair.slice(0, colon);
    if (colon < 0 || !KEY.test(key)) {
      throw new ProtocolFrameError(
        "emon",
        "bad-header",
        `$[${index}]`,
        `expected key:value, got ${JSON.stringify(pair.slice(0, 40))}`,
      );
    }
    const value = pair.slice(colon + 1).trim();
    if (!NUMBER.test(value)) {
      throw new ProtocolFrameError(
        "emon",
        "bad-value",
        key,
        `${JSON.stringify(value.slice(0, 40))} is not a decimal number`,
      );
    }
    if (Object.hasOwn(values, key))
      throw new ProtocolFrameError("emon", "bad-value", key, "the key appears twice");
    values[key] = value;
  }
  return { node: undefined, values };
}
