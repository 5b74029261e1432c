import { writeFile } from "node:fs/promises";
import { pactGeographyCountrySchema } from "@energy-intelligence/sdk/pact/productFootprintSchema";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseContainerId } from "../verify/parseContainerId.ts";
import { addLotSourceOptions, lotSourceOptionsSchema } from "./exportSourceOptions.ts";
import { loadLotFootprint } from "./exportLotFootprint.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

/** `ei export pact <lot>`: the lot's PACT v3 ProductFootprint JSON. */
export const exportPactCommand: CliCommand = {
  name: "pact",
  description: "write a lot's PACT v3 ProductFootprint (JSON), optionally with purchased materials",
  configure: (command) => {
    addLotSourceOptions(command)
      .option(
        "--geography-country <code>",
        "pcf.geographyCountry (ISO 3166-1 alpha-2, e.g. DE) of a footprint rebuilt with --rpc: the gateway takes it from its config, which the chain does not hold",
      )
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  ei export pact 0x1f…c2 --data-dir data/gateway > lot.pact.json\n" +
          "  ei export pact 1234 --rpc http://127.0.0.1:8545 --ipfs http://127.0.0.1:8080 --geography-country DE --out lot.pact.json\n" +
          "  ei export pact 1234 --bom bom.json --data-dir data/gateway   # materials + production\n" +
          "\nWithout --bom the figure is the production step's electricity only (docs/standards.md says so\n" +
          "field by field). With --bom it adds each component's share of its supplier's footprint (kept by\n" +
          "`ei pact pull`), a separate footprint id, and the two parts in the ei-materials extension.",
      );
  },
  action: async (context, args, rawOptions) => {
    const lotId = parseContainerId(args[0], "lot id");
    const options = parseCliOptions(
      lotSourceOptionsSchema.extend({ geographyCountry: pactGeographyCountrySchema.optional() }),
      rawOptions,
    );
    const { footprint, materials, bomSuppliers } = await loadLotFootprint(lotId, options);
    let document = footprint;
    if (materials !== undefined && bomSuppliers !== undefined) {
      const { productFootprintWithMaterials } = await import("@energy-intelligence/sdk/bom/index");
      const schema = footprint.extensions?.[0]?.dataSchema ?? "http://127.0.0.1:8080/";
      document = productFootprintWithMaterials({
        production: footprint,
        materials,
        supplierFootprints: bomSuppliers,
        materialsExtensionSchemaUrl: new URL(
          "/pact/extensions/ei-materials/1.0.0/schema.json",
          schema,
        ).toString(),
      });
    }
    const json = JSON.stringify(document, null, 2);
    if (options.out !== undefined) {
      await writeFile(options.out, `${json}\n`);
      context.print(
        { lotId: lotId.toString(), id: document.id, out: options.out },
        `wrote ${options.out}: PACT footprint ${document.id}, ${document.pcf.pcfExcludingBiogenicCO2Withdrawal} kg CO2e per piece`,
      );
    } else context.print(document, json);
    return ExitCode.ok;
  },
};
