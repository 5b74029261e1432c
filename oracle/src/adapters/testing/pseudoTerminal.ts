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
