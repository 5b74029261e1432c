import { createHash } from "node:crypto";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { readInputFile } from "../cli/readInputFile.ts";

const argsSchema = z.tuple([z.string().min(1)]);

// Multicodec names of the two codecs a UnixFS file CID can have.
const CODEC_NAMES: Record<number, string> = { 0x55: "raw", 0x70: "dag-pb" };

/** `ei cid <file>`: the CID `ipfs add --cid-version=1` would give the file. */
export const cidCommand: CliCommand = {
  name: "cid",
  description:
    "print the IPFS CID of a file (CIDv1, UnixFS, raw leaves, 256 KiB chunks, balanced 174: same as `ipfs add --cid-version=1`)",
  configure: (command) => {
    command
      .argument("<file>", "the file to hash, or - for stdin")
      .addHelpText("after", '\nWith --json: {"cid", "size" (bytes), "codec" ("raw" or "dag-pb")}.');
  },
  action: async (context, args) => {
    const [file] = argsSchema.parse(args);
    // Loaded on use, so other commands (and --help) do not pay for it at start-up.
    const { computeCid, formatCid } = await import("@energy-intelligence/sdk/cid/index");
    const bytes = await readInputFile(file);
    // Node's native SHA-256: same CID, about 10x faster than the sdk's pure-JS default.
    const cid = computeCid(bytes, { sha256: (data) => createHash("sha256").update(data).digest() });
    const text = formatCid(cid);
    context.print(
      { cid: text, size: bytes.length, codec: CODEC_NAMES[cid.code] ?? String(cid.code) },
      text,
    );
    return ExitCode.ok;
  },
};
