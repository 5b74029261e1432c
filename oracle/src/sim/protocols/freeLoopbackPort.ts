import { createServer } from "node:net";

/**
 * A TCP port that is free on 127.0.0.1 right now. For servers that cannot
 * listen on port 0 themselves (modbus-serial reads 0 as "use 502") or that
 * need the port before they start (an SNMP agent's options).
 */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  });
}
