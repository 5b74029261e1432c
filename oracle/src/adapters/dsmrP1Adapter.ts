import type { Logger } from "pino";
import {
  ProtocolFrameError,
  createDsmrStreamSplitter,
  dsmrTelegramToReadings,
  parseDsmrTelegram,
} from "@energy-intelligence/sdk/protocols/index";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { ByteStreamSource, type ByteStreamEndpoint } from "./byteStreamSource.ts";
import { submitPushedFrame } from "./submitPushedFrame.ts";

/**
 * Reads a DSMR P1 port (directly over serial, or through a ser2net-style TCP
 * bridge), cuts the stream into telegrams, checks each (CRC where the
 * version has one) and stores the meter's registers. A telegram with a bad
 * CRC, a truncated one, or one from another meter (equipmentId set) is
 * refused with its reason and nothing of it stored; the adapter reads on.
 * Unknown OBIS codes are logged once per code and otherwise ignored.
 */
export class DsmrP1Adapter {
  readonly #source: ByteStreamSource;

  constructor(options: {
    name: string;
    endpoint: ByteStreamEndpoint;
    equipmentId?: string | undefined;
    sink: AdapterReadingSink;
    health: AdapterHealth;
    logger: Logger;
  }) {
    const { name, sink, health, logger } = options;
    let splitter = createDsmrStreamSplitter();
    const reportedUnknown = new Set<string>();
    const handle = (text: string, receivedAtMs: number): Promise<void> =>
      submitPushedFrame({ name, sink, health }, receivedAtMs, () => {
        const telegram = parseDsmrTelegram(text);
        for (const issue of telegram.issues) {
          const key = JSON.stringify(issue).slice(0, 120);
          if (reportedUnknown.has(key) || reportedUnknown.size > 100) continue;
          reportedUnknown.add(key);
          logger.info({ adapter: name, issue }, "P1 telegram line kept raw (unknown or malformed)");
        }
        if (options.equipmentId !== undefined && telegram.equipmentId !== options.equipmentId) {
          throw new ProtocolFrameError(
            "dsmr",
            "bad-header",
            "0-0:96.1.1",
            `equipment ${telegram.equipmentId ?? "(none)"}, configured ${options.equipmentId}`,
          );
        }
        return dsmrTelegramToReadings(telegram, { receivedAtMs });
      });
    this.#source = new ByteStreamSource({
      endpoint: options.endpoint,
      logger,
      onOpen: () => {
        splitter = createDsmrStreamSplitter();
      },
      onData: (chunk) => {
        const receivedAtMs = Date.now();
        for (const event of splitter.push(chunk)) {
          if (event.type === "telegram") void handle(event.text, receivedAtMs);
          else if (event.reason !== "garbage") {
            health.rejectedFrame(
              sink.deviceId,
              name,
              event.reason === "truncated" ? "truncated" : "wrong-length",
              `${event.byteLength} bytes discarded (${event.reason})`,
            );
          }
        }
      },
    });
  }

  start(): void {
    this.#source.start();
  }

  close(): Promise<void> {
    return this.#source.close();
  }
}
