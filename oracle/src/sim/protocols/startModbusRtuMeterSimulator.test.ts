import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { SerialPort } from "serialport";
import {
  EASTRON_SDM630_MAP,
  parseModbusRegisterMap,
  withModbusRtuCrc,
} from "@energy-intelligence/sdk/protocols/index";
import {
  openPseudoTerminalPair,
  pseudoTerminalAvailable,
} from "../../adapters/testing/pseudoTerminal.ts";
import type { PseudoTerminalPair } from "../../adapters/testing/pseudoTerminal.ts";
import { startModbusRtuMeterSimulator } from "./startModbusRtuMeterSimulator.ts";
import type { ModbusRtuMeterSimulator } from "./startModbusRtuMeterSimulator.ts";

describe(
  "Modbus RTU meter simulator on a serial line",
  { skip: pseudoTerminalAvailable() ? false : "python3 is needed to open a pty" },
  () => {
    let line: PseudoTerminalPair;
    let sim: ModbusRtuMeterSimulator;
    let client: SerialPort;
    let received = Buffer.alloc(0);

    /** Writes one frame and returns what came back within `waitMs`. */
    const exchange = async (frame: Uint8Array, waitMs = 150): Promise<Buffer> => {
      received = Buffer.alloc(0);
      client.write(Buffer.from(frame));
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return received;
    };

    before(async () => {
      line = await openPseudoTerminalPair();
      sim = await startModbusRtuMeterSimulator({
        path: line.devicePath,
        map: parseModbusRegisterMap(EASTRON_SDM630_MAP),
        watts: 2000,
      });
      client = new SerialPort({ path: line.gatewayPath, baudRate: 9600, autoOpen: false });
      client.on("data", (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
      });
      await new Promise<void>((resolve, reject) => {
        client.open((error) => {
          if (error === null) resolve();
          else reject(error);
        });
      });
    });
    after(async () => {
      await new Promise<void>((resolve) => {
        client.close(() => {
          resolve();
        });
      });
      await sim.close();
      await line.close();
    });

    it("answers a read of input registers with the words and a valid CRC", async () => {
      // Unit 1, fc 4, 30013 (address 12, active power L1 as float32): 2 registers.
      const answer = await exchange(withModbusRtuCrc(Uint8Array.of(1, 4, 0, 12, 0, 2)));
      assert.equal(answer.length, 3 + 4 + 2);
      assert.deepEqual([...answer.subarray(0, 3)], [1, 4, 4]);
      assert.deepEqual(
        [...answer],
        [...withModbusRtuCrc(answer.subarray(0, answer.length - 2))],
        "CRC appended low byte first",
      );
    });

    it("ignores a request with a bad CRC and a broadcast; answers exception 1 to an unsupported function", async () => {
      const good = withModbusRtuCrc(Uint8Array.of(1, 4, 0, 12, 0, 2));
      const bad = Uint8Array.from(good);
      bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
      const dropped = sim.droppedRequests;
      assert.equal((await exchange(bad)).length, 0);
      assert.equal(sim.droppedRequests, dropped + 1);
      assert.equal((await exchange(withModbusRtuCrc(Uint8Array.of(0, 4, 0, 12, 0, 2)))).length, 0);
      const refused = await exchange(withModbusRtuCrc(Uint8Array.of(1, 6, 0, 1, 0, 3)));
      assert.deepEqual([...refused], [...withModbusRtuCrc(Uint8Array.of(1, 0x86, 1))]);
    });

    it("corrupts response CRCs on demand and stays silent for a silent unit", async () => {
      const request = withModbusRtuCrc(Uint8Array.of(1, 4, 0, 12, 0, 2));
      sim.setCorruptResponses(true);
      const noisy = await exchange(request);
      sim.setCorruptResponses(false);
      assert.equal(noisy.length, 9);
      assert.notDeepEqual([...noisy], [...withModbusRtuCrc(noisy.subarray(0, 7))]);
      sim.setSilent(1, true);
      assert.equal((await exchange(request)).length, 0);
      sim.setSilent(1, false);
      assert.equal((await exchange(request)).length, 9);
    });
  },
);
