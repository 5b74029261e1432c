import { readFile } from "node:fs/promises";

/** Reads a whole input file, or stdin when the path is `-`. */
export async function readInputFile(path: string): Promise<Uint8Array> {
  if (path !== "-") {
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      // Some fs errors (EISDIR) carry no path; describeError names the file from it.
      if (error instanceof Error && !("path" in error)) Object.assign(error, { path });
      throw error;
    }
  }
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}
