import { InvalidInputError } from "../../errors/index.ts";
import { modbusRegisterMapSchema } from "./modbusRegisterMapSchema.ts";
import type { ModbusRegisterMap } from "./modbusRegisterMapSchema.ts";

/**
 * Validates a register map from configuration (JSON or one of the shipped
 * maps). A bad map is a configuration mistake found at start-up, not a bad
 * frame, so it is an InvalidInputError rather than a ProtocolFrameError.
 *
 * @throws {InvalidInputError} with the path of the first bad field.
 * @example
 * ```ts
 * const map = parseModbusRegisterMap(JSON.parse(await readFile("meter.json", "utf8")));
 * ```
 */
export function parseModbusRegisterMap(input: unknown): ModbusRegisterMap {
  const parsed = modbusRegisterMapSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(
    issue === undefined || issue.path.length === 0 ? "map" : `map.${issue.path.join(".")}`,
    issue?.message ?? "invalid Modbus register map",
  );
}
