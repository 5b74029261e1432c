import { z } from "zod";
import {
  decodeLoraPayload,
  encodeLoraPayload,
  generateTtnFormatter,
  LORA_UPLINK_FPORT,
} from "@energy-intelligence/sdk/protocols/index";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";

const channelSchema = z.object({
  channel: z.number().int().default(0),
  energyImportedWh: z.number().int(),
  energyExportedWh: z.number().int().default(0),
  powerDecawatts: z.number().int().default(0),
});
const payloadSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]).default(1),
  ageSeconds: z.number().int().default(0),
  channels: z.array(channelSchema).min(1),
});

function parseJsonArgument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliUsageError(
      "payload is not JSON",
      `Pass e.g. '{"channels":[{"energyImportedWh":12345}]}'.`,
    );
  }
}

function bytesFromText(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  if (/^(?:[0-9a-fA-F]{2})+$/.test(clean))
    return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
  if (
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean) &&
    clean !== ""
  ) {
    return Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  }
  throw new CliUsageError(
    "payload is neither hex nor base64",
    "Pass the FRMPayload as hex (010000…) or base64 (AQAAMDkAAAAAAAw=).",
  );
}

const encodeCommand: CliCommand = {
  name: "encode",
  description:
    "encode a reading as the Energy-Intelligence LoRaWAN uplink payload (hex and base64)",
  configure: (command) => {
    command
      .argument(
        "<json>",
        'payload as JSON: {"version":1|2, "ageSeconds", "channels":[{channel, energyImportedWh, energyExportedWh, powerDecawatts}]}',
      )
      .addHelpText("after", '\nWith --json: {"fPort", "hex", "base64", "length"}.');
  },
  action: (context, args) => {
    const [text] = z.tuple([z.string()]).parse(args);
    const parsed = payloadSchema.safeParse(parseJsonArgument(text));
    if (!parsed.success)
      throw new CliUsageError(
        `payload: ${parsed.error.issues[0]?.message ?? "invalid"}`,
        "See `ei lora encode --help`.",
      );
    const bytes = encodeLoraPayload(parsed.data);
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    const base64 = btoa(String.fromCharCode(...bytes));
    context.print(
      { fPort: LORA_UPLINK_FPORT, hex, base64, length: bytes.length },
      `fPort ${LORA_UPLINK_FPORT}\nhex    ${hex}\nbase64 ${base64}`,
    );
    return ExitCode.ok;
  },
};

const decodeCommand: CliCommand = {
  name: "decode",
  description: "decode an Energy-Intelligence LoRaWAN uplink payload (hex or base64)",
  configure: (command) => {
    command
      .argument("<payload>", "FRMPayload as hex or base64")
      .option("--fport <n>", "the uplink's fPort", String(LORA_UPLINK_FPORT));
  },
  action: (context, args, options) => {
    const [text] = z.tuple([z.string()]).parse(args);
    const fPort = z.coerce.number().int().parse(options.fport);
    const payload = decodeLoraPayload(bytesFromText(text), fPort);
    context.print(payload, JSON.stringify(payload, null, 2));
    return ExitCode.ok;
  },
};

const formatterCommand: CliCommand = {
  name: "formatter",
  description:
    "print the generated TTN v3 JavaScript payload formatter (decodeUplink/encodeDownlink)",
  action: (context) => {
    const source = generateTtnFormatter();
    context.print({ source }, source.trimEnd());
    return ExitCode.ok;
  },
};

/** `ei lora …`: the LoRaWAN payload codec. */
export const loraCommand: CliCommand = {
  name: "lora",
  description: "LoRaWAN payload codec: encode, decode, and the TTN v3 payload formatter",
  subcommands: [encodeCommand, decodeCommand, formatterCommand],
};
