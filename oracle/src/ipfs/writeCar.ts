import * as dagCbor from "@ipld/dag-cbor";
import * as dagPb from "@ipld/dag-pb";
import { varint } from "multiformats";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "./contentStore.ts";

function withLength(...parts: Uint8Array[]): Uint8Array[] {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const prefix = new Uint8Array(varint.encodingLength(length));
  varint.encodeTo(length, prefix);
  return [prefix, ...parts];
}

/**
 * A CARv1 of the DAG under `root` (blocks in depth-first pre-order, root first,
 * each once), as the trustless gateway spec's `application/vnd.ipld.car`
 * response wants. Resolves undefined when a block is missing, so the route can
 * answer 404 before sending a byte. Container documents are a few blocks, so
 * the CAR is built in memory.
 */
export async function writeCar(store: ContentStore, root: CID): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = withLength(dagCbor.encode({ roots: [root], version: 1 }));
  const seen = new Set<string>();
  const visit = async (cid: CID): Promise<boolean> => {
    const key = cid.toString();
    if (seen.has(key)) return true;
    seen.add(key);
    const bytes = await store.getBlock(cid);
    if (bytes === undefined) return false;
    parts.push(...withLength(cid.bytes, bytes));
    if (cid.code === dagPb.code) {
      for (const link of dagPb.decode(bytes).Links) {
        if (!(await visit(link.Hash))) return false;
      }
    }
    return true;
  };
  if (!(await visit(root))) return undefined;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
