import type { CliCommand } from "../cli/command.ts";
import { exportAasCommand } from "./exportAas.ts";
import { exportPactCommand } from "./exportPact.ts";

/** `ei export pact|aas <lot>`: a lot's footprint in the standards buyers' systems read. */
export const exportCommand: CliCommand = {
  name: "export",
  description:
    "a lot's footprint as standard data: PACT v3 ProductFootprint or Asset Administration Shell",
  subcommands: [exportPactCommand, exportAasCommand],
};
