import type { CliCommand } from "../cli/command.ts";
import { verifyContainerCommand } from "./verifyContainer.ts";
import { verifyLotCommand } from "./verifyLot.ts";
import { verifyReadingCommand } from "./verifyReading.ts";

/** `ei verify container|reading`: auditor checks from an RPC endpoint and an IPFS source alone. */
export const verifyCommand: CliCommand = {
  name: "verify",
  description:
    "auditor checks from public data alone: an anchored container, or one disclosed reading",
  subcommands: [verifyContainerCommand, verifyReadingCommand, verifyLotCommand],
};
