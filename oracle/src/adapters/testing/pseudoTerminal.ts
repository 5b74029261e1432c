import { spawn, spawnSync } from "node:child_process";

/** A pseudo-terminal pair: `path` behaves like a serial port; bytes written go to its reader. */
export interface PseudoTerminal {
  path: string;
  write(bytes: string): void;
  close(): Promise<void>;
}

// Opens a pty, prints the device path, and copies stdin to the master side until stdin closes.
const RELAY = `
import os, pty, sys, tty
master, slave = pty.openpty()
tty.setraw(slave)
print(os.ttyname(slave), flush=True)
while True:
    chunk = os.read(sys.stdin.fileno(), 65536)
    if not chunk:
        break
    os.write(master, chunk)
`;

/** True when python3 (for its pty module) is on PATH; tests skip the serial path without it. */
export function pseudoTerminalAvailable(): boolean {
  return spawnSync("python3", ["-c", "import pty"], { stdio: "ignore" }).status === 0;
}

/**
 * A serial port stand-in for tests: python3's pty module opens the pair (Node
 * has no pty API), so the gateway's serialport code path opens a real tty
 * device and sees the bytes a P1 cable or emonTx USB port would deliver.
 */
export function openPseudoTerminal(): Promise<PseudoTerminal> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", RELAY], { stdio: ["pipe", "pipe", "inherit"] });
    child.on("error", reject);
    child.stdout.setEncoding("utf8").once("data", (line: string) => {
      resolve({
        path: line.trim(),
        write: (bytes) => {
          child.stdin.write(Buffer.from(bytes, "latin1"));
        },
        close: () =>
          new Promise((done) => {
            child.once("close", () => {
              done();
            });
            child.stdin.end();
          }),
      });
    });
  });
}

/** Two serial ports wired to each other, like two RS-485 adapters on one bus (a null-modem pair). */
export interface PseudoTerminalPair {
  /** The port the gateway opens. */
  gatewayPath: string;
  /** The port the device (simulator) opens. */
  devicePath: string;
  close(): Promise<void>;
}

// Opens two ptys and copies bytes between their master sides both ways until
// stdin closes. Holding both slave ends open keeps the masters readable (no
// EIO) while a port is closed and reopened by a client.
const PAIR_RELAY = `
import os, pty, select, sys, tty
a_master, a_slave = pty.openpty()
b_master, b_slave = pty.openpty()
tty.setraw(a_slave)
tty.setraw(b_slave)
print(os.ttyname(a_slave), os.ttyname(b_slave), flush=True)
peer = {a_master: b_master, b_master: a_master}
stdin = sys.stdin.fileno()
while True:
    ready, _, _ = select.select([a_master, b_master, stdin], [], [])
    if stdin in ready and not os.read(stdin, 1024):
        break
    for fd in ready:
        if fd in peer:
            os.write(peer[fd], os.read(fd, 65536))
`;

/**
 * Two pseudo-terminals joined back to back (python3's pty module; Node has
 * no pty API): what one side writes the other reads, so a Modbus RTU client
 * and a simulated meter each open a real tty device through serialport.
 */
export function openPseudoTerminalPair(): Promise<PseudoTerminalPair> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", PAIR_RELAY], { stdio: ["pipe", "pipe", "inherit"] });
    child.on("error", reject);
    let output = "";
    const onData = (chunk: string): void => {
      output += chunk;
      if (!output.includes("\n")) return; // the line may come in pieces
      child.stdout.off("data", onData);
      const [gatewayPath, devicePath] = output.trim().split(" ");
      if (gatewayPath === undefined || devicePath === undefined) {
        reject(new Error(`unexpected pty relay output: ${output}`));
        return;
      }
      resolve({
        gatewayPath,
        devicePath,
        close: () =>
          new Promise((done) => {
            child.once("close", () => {
              done();
            });
            child.stdin.end();
          }),
      });
    };
    child.stdout.setEncoding("utf8").on("data", onData);
  });
}
