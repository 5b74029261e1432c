/**
 * Runs the gateway as a process: `node oracle/src/main.ts [--config file] [--set JSON]`.
 * `ei gateway` is the friendly front; this entry is what tests and the crash
 * soak start as a child process. Prints `gateway: <url>`, `mqtt: <url>`, then
 * `ready`, and closes cleanly on SIGTERM.
 */
import { parseArgs } from "node:util";
import { loadGatewayConfig, loadGatewayEnv } from "./config/loadGatewayConfig.ts";
import { closeOnSignals, startGateway } from "./server.ts";

const { values } = parseArgs({
  options: { config: { type: "string" }, set: { type: "string" } },
});
const overrides =
  values.set === undefined ? {} : (JSON.parse(values.set) as Record<string, unknown>);
const config = loadGatewayConfig({ file: values.config, overrides });
const gateway = await startGateway(config, loadGatewayEnv(process.env));
closeOnSignals(gateway);
process.stdout.write(`gateway: ${gateway.httpUrl}\n`);
if (gateway.mqttUrl !== undefined) process.stdout.write(`mqtt: ${gateway.mqttUrl}\n`);
process.stdout.write("ready\n");
