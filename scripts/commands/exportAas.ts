import { writeFile } from "node:fs/promises";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseContainerId } from "../verify/parseContainerId.ts";
import { addLotSourceOptions, lotSourceOptionsSchema } from "./exportSourceOptions.ts";
import { loadLotFootprint } from "./exportLotFootprint.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

/** `ei export aas <lot> [--aasx out.aasx]`: the lot's Asset Administration Shell. */
export const exportAasCommand: CliCommand = {
  name: "aas",
  description:
    "write a lot's Asset Administration Shell with the IDTA 02023 Carbon Footprint submodel (AAS JSON or AASX)",
  configure: (command) => {
    addLotSourceOptions(command)
      .option("--aasx <file>", "write an AASX package (OPC zip) instead of AAS JSON")
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  ei export aas 1234 --data-dir data/gateway > lot.aas.json\n" +
          "  ei export aas 1234 --rpc http://127.0.0.1:8545 --ipfs http://127.0.0.1:8080 --aasx lot.aasx\n" +
          "  ei export aas 1234 --bom bom.json --aasx lot.aasx   # materials (A1) next to production (A3)\n" +
          "\nThe environment is checked with aas-core's verification before it is written.",
      );
  },
  action: async (context, args, rawOptions) => {
    const lotId = parseContainerId(args[0], "lot id");
    const options = parseCliOptions(
      lotSourceOptionsSchema.extend({ aasx: lotSourceOptionsSchema.shape.out }),
      rawOptions,
    );
    const { footprint, materials } = await loadLotFootprint(lotId, options);
    const { buildLotAas, buildAasxPackage, aasEnvironmentToJson } =
      await import("@energy-intelligence/sdk/aas/index");
    const environment = buildLotAas({ footprint, materials });
    if (options.aasx !== undefined) {
      await writeFile(options.aasx, buildAasxPackage(environment, { name: `lot-${lotId}` }));
      context.print(
        { lotId: lotId.toString(), aasx: options.aasx },
        `wrote ${options.aasx}: AASX package with the shell of lot ${lotId} and its Carbon Footprint submodel`,
      );
      return ExitCode.ok;
    }
    const json = aasEnvironmentToJson(environment);
    if (options.out !== undefined) {
      await writeFile(options.out, `${json}\n`);
      context.print({ lotId: lotId.toString(), out: options.out }, `wrote ${options.out}`);
    } else context.print(JSON.parse(json), json);
    return ExitCode.ok;
  },
};
