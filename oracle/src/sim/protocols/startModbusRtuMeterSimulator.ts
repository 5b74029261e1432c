import { SerialPort } from "serialport";
import {
  hasValidModbusRtuCrc,
  withModbusRtuCrc,
} from "@energy-intelligence/sdk/protocols/modbus/modbusRtuCrc16";
import {
  type ModbusMeterModel,
  type ModbusMeterModelOptions,
  createModbusMeterModel,
} from "./modbusMeterModel.ts";

export interface ModbusRtuMeterSimulatorOptions extends ModbusMeterModelOptions {
  /** The serial port the meter is wired to (an RS-485 adapter, or one end of a pty pair). */
  path: string;
  /** Line speed; sets the inter-frame silence (3.5 character times). Default 9600. */
  baudRate?: number;
}

export interface ModbusRtuMeterSimulator extends Omit<ModbusMeterModel, "read"> {
  path: string;
  /** While true, every response goes out with a corrupted CRC (line noise). */
  setCorruptResponses(corrupt: boolean): void;
  /** Request frames dropped for a bad CRC or a length that fits no request, so far. */
  readonly droppedRequests: number;
  close(): Promise<void>;
}

const ILLEGAL_FUNCTION = 1;
const CHARACTER_BITS = 11; // start, 8 data, parity or second stop, stop

/**
 * A Modbus RTU energy meter on a serial port, serving the same meter model
 * as the TCP simulator. Frames are delimited as on the line: a silence of
 * 3.5 character times ends one. A request whose CRC is wrong is ignored (a
 * slave must not answer it), and so is a broadcast (unit 0); read holding
 * (3) and input (4) registers are answered with the CRC appended, any other
 * function with exception 1. Silent units never answer; corrupted responses
 * make the client see a CRC error.
 *
 * @example
 * ```ts
 * const sim = await startModbusRtuMeterSimulator({ path: "/dev/ttyUSB1", map, watts: 2000 });
 * ```
 */
export async function startModbusRtuMeterSimulator(
  options: ModbusRtuMeterSimulatorOptions,
): Promise<ModbusRtuMeterSimulator> {
  const meter = createModbusMeterModel(options);
  const baudRate = options.baudRate ?? 9600;
  const silenceMs = Math.max(2, Math.ceil((3.5 * CHARACTER_BITS * 1000) / baudRate));
  const port = new SerialPort({ path: options.path, baudRate, autoOpen: false });
  let received = Buffer.alloc(0);
  let frameTimer: NodeJS.Timeout | undefined;
  let corrupt = false;
  let dropped = 0;

  const reply = (frame: Uint8Array): void => {
    const framed = Buffer.from(withModbusRtuCrc(frame));
    if (corrupt) framed[framed.length - 1] = (framed[framed.length - 1] ?? 0) ^ 0xff;
    port.write(framed);
  };

  const answer = (request: Buffer): void => {
    if (!hasValidModbusRtuCrc(request)) {
      dropped += 1;
      return;
    }
    const unitId = request[0] ?? 0;
    const functionCode = request[1] ?? 0;
    if (unitId === 0) return; // broadcast: no slave answers
    if (functionCode !== 3 && functionCode !== 4) {
      reply(Uint8Array.of(unitId, functionCode | 0x80, ILLEGAL_FUNCTION));
      return;
    }
    if (request.length !== 8) {
      dropped += 1;
      return;
    }
    const address = request.readUInt16BE(2);
    const count = request.readUInt16BE(4);
    const result = meter.read(functionCode, address, count, unitId);
    if ("silent" in result) return;
    if ("exception" in result) {
      reply(Uint8Array.of(unitId, functionCode | 0x80, result.exception));
      return;
    }
    const pdu = Buffer.alloc(3 + 2 * count);
    pdu[0] = unitId;
    pdu[1] = functionCode;
    pdu[2] = 2 * count;
    result.words.forEach((word, index) => pdu.writeUInt16BE(word, 3 + 2 * index));
    reply(pdu);
  };

  port.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    clearTimeout(frameTimer);
    frameTimer = setTimeout(() => {
      const frame = received;
      received = Buffer.alloc(0);
      answer(frame);
    }, silenceMs);
  });
  port.on("error", () => undefined); // a closed peer; the test or CLI closes us
  await new Promise<void>((resolve, reject) => {
    port.open((error) => {
      if (error === null) resolve();
      else reject(error);
    });
  });

  return {
    path: options.path,
    lastAddress: meter.lastAddress,
    setSilent: meter.setSilent,
    resetCounters: meter.resetCounters,
    setCorruptResponses: (value) => {
      corrupt = value;
    },
    get droppedRequests() {
      return dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(frameTimer);
        if (!port.isOpen) {
          resolve();
          return;
        }
        port.close(() => {
          resolve();
        });
      }),
  };
}
