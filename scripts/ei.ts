#!/usr/bin/env node
// The `ei` command line. Node 22 runs this TypeScript file directly (type
// stripping), so there is no build step between editing and running.
import type { CliCommand } from "./cli/command.ts";
import { runCli } from "./cli/runCli.ts";
import { apikeyCommand } from "./commands/apikey.ts";
import { cidCommand } from "./commands/cid.ts";
import { deviceCommand } from "./commands/device.ts";
import { dsmrCommand } from "./commands/dsmr.ts";
import { exportCommand } from "./commands/export.ts";
import { gatewayCommand } from "./commands/gateway.ts";
import { indexerCommand } from "./commands/indexer.ts";
import { loraCommand } from "./commands/lora.ts";
import { simCommand } from "./commands/sim.ts";
import { startCommand } from "./commands/start.ts";
import { merkleCommand } from "./commands/merkle.ts";
import { pactCommand } from "./commands/pact.ts";
import { portalCommand } from "./commands/portal.ts";
import { verifyCommand } from "./commands/verify.ts";

/** Every top-level command, in the order `ei --help` lists them. */
const commands: readonly CliCommand[] = [
  startCommand,
  apikeyCommand,
  cidCommand,
  deviceCommand,
  dsmrCommand,
  exportCommand,
  gatewayCommand,
  indexerCommand,
  loraCommand,
  merkleCommand,
  pactCommand,
  portalCommand,
  simCommand,
  verifyCommand,
];

process.exitCode = await runCli(commands, process.argv.slice(2));
