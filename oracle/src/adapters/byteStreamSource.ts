import { type Socket, connect } from "node:net";
import type { Logger } from "pino";

export type ByteStreamEndpoint =
  | { transport: "tcp"; host: string; port: number }
  | {
      transport: "serial";
      path: string;
      baudRate: number;
      dataBits: 7 | 8;
      parity: "none" | "even" | "odd";
      stopBits: 1 | 2;
    };

/**
 * A byte stream from a serial port (serialport) or a TCP bridge
 * (ser2net-style: the bridge forwards the port's raw bytes), reopened after
 * an error or close with a doubling delay (0.5 s to 30 s), so a bridge that
 * reboots or a re-plugged USB cable recovers by itself. `onOpen` lets the
 * consumer drop a half-received frame.
 */
export class ByteStreamSource {
  readonly #endpoint: ByteStreamEndpoint;
  readonly #logger: Logger;
  readonly #onData: (chunk: Buffer) => void;
  readonly #onOpen: () => void;
  #closed = false;
  #retryMs = 500;
  #timer: NodeJS.Timeout | undefined;
  #close: (() => Promise<void>) | undefined;

  constructor(options: {
    endpoint: ByteStreamEndpoint;
    logger: Logger;
    onData: (chunk: Buffer) => void;
    onOpen?: () => void;
  }) {
    this.#endpoint = options.endpoint;
    this.#logger = options.logger;
    this.#onData = options.onData;
    this.#onOpen = options.onOpen ?? (() => undefined);
  }

  start(): void {
    void this.#open();
  }

  async #open(): Promise<void> {
    if (this.#closed) return;
    const endpoint = this.#endpoint;
    const retry = (error?: Error): void => {
      this.#close = undefined;
      if (this.#closed || this.#timer !== undefined) return;
      this.#logger.info(
        { endpoint: this.#describe(), err: error, retryMs: this.#retryMs },
        "device stream closed; reconnecting",
      );
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#open();
      }, this.#retryMs);
      this.#timer.unref();
      this.#retryMs = Math.min(this.#retryMs * 2, 30_000);
    };
    if (endpoint.transport === "tcp") {
      const socket: Socket = connect({ host: endpoint.host, port: endpoint.port });
      socket.setKeepAlive(true, 10_000);
      socket.on("connect", () => {
        this.#retryMs = 500;
        this.#onOpen();
      });
      socket.on("data", this.#onData);
      socket.on("error", (error) => {
        socket.destroy();
        retry(error);
      });
      socket.on("close", () => {
        retry();
      });
      this.#close = () =>
        new Promise<void>((resolve) => {
          socket.once("close", () => {
            resolve();
          });
          socket.destroy();
          if (socket.destroyed && socket.closed) resolve();
        });
      return;
    }
    try {
      const { SerialPort } = await import("serialport");
      const port = new SerialPort({
        path: endpoint.path,
        baudRate: endpoint.baudRate,
        dataBits: endpoint.dataBits,
        parity: endpoint.parity,
        stopBits: endpoint.stopBits,
        autoOpen: false,
      });
      port.on("data", this.#onData);
      port.on("error", (error: Error) => {
        retry(error);
      });
      port.on("close", () => {
        retry();
      });
      await new Promise<void>((resolve, reject) => {
        port.open((error) => {
          if (error === null) resolve();
          else reject(error);
        });
      });
      this.#retryMs = 500;
      this.#onOpen();
      this.#close = () =>
        new Promise<void>((resolve) => {
          if (!port.isOpen) {
            resolve();
            return;
          }
          port.close(() => {
            resolve();
          });
        });
    } catch (error) {
      retry(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #describe(): string {
    const endpoint = this.#endpoint;
    return endpoint.transport === "tcp" ? `tcp://${endpoint.host}:${endpoint.port}` : endpoint.path;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#close?.();
  }
}
