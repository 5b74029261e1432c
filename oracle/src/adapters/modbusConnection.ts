import ModbusRTU from "modbus-serial";

export type ModbusClient = InstanceType<typeof ModbusRTU.default>;

export type ModbusEndpoint =
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
 * One Modbus connection (TCP, or RTU over a serial port through
 * modbus-serial's serialport backend), opened on first use and dropped by
 * `reset()` after a failure so the next poll reconnects: a TCP→RTU gateway
 * that restarted, or a USB adapter re-plugged, recovers without a restart.
 */
export class ModbusConnection {
  readonly #endpoint: ModbusEndpoint;
  readonly #timeoutMs: number;
  #client: ModbusClient | undefined;

  constructor(endpoint: ModbusEndpoint, timeoutMs: number) {
    this.#endpoint = endpoint;
    this.#timeoutMs = timeoutMs;
  }

  async client(unitId: number): Promise<ModbusClient> {
    if (this.#client?.isOpen !== true) {
      await this.reset();
      const client = new ModbusRTU.default();
      client.setTimeout(this.#timeoutMs);
      const endpoint = this.#endpoint;
      if (endpoint.transport === "tcp") {
        await client.connectTCP(endpoint.host, { port: endpoint.port });
      } else {
        await client.connectRTUBuffered(endpoint.path, {
          baudRate: endpoint.baudRate,
          dataBits: endpoint.dataBits,
          parity: endpoint.parity,
          stopBits: endpoint.stopBits,
        });
      }
      this.#client = client;
    }
    this.#client.setID(unitId);
    return this.#client;
  }

  async reset(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    await new Promise<void>((resolve) => {
      try {
        client.close(() => {
          resolve();
        });
      } catch {
        resolve();
      }
    });
  }

  describe(unitId: number): string {
    const endpoint = this.#endpoint;
    return endpoint.transport === "tcp"
      ? `${endpoint.host}:${endpoint.port} unit ${unitId}`
      : `${endpoint.path} unit ${unitId}`;
  }
}
