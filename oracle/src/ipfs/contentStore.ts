import type { CID } from "multiformats/cid";
import { BaseError, type BaseErrorParameters } from "@energy-intelligence/sdk";

/** One IPFS block as the sdk computes it: its CID and the exact bytes the CID hashes. */
export interface ContentBlock {
  cid: CID;
  bytes: Uint8Array;
}

/**
 * Where container documents live in IPFS. Two implementations: light Helia on
 * disk (embedded default) and Kubo over its RPC API (production). The anchoring
 * state machine only needs `putFile`; the read-only gateway needs the rest.
 */
export interface ContentStore {
  readonly kind: "helia" | "kubo";
  /**
   * Stores a UnixFS file given as the sdk's blocks (root last) and its bytes, and
   * checks that the store's own import of the bytes yields the same root CID.
   * Idempotent: putting the same file again is a no-op apart from the check.
   *
   * @throws {ContentStoreUnavailableError} when the store cannot be reached or written.
   * @throws {ContentMismatchError} when the store computes another CID.
   */
  putFile(parameters: {
    root: CID;
    blocks: readonly ContentBlock[];
    bytes: Uint8Array;
  }): Promise<void>;
  /** A block's bytes, or undefined when the store does not hold it (never fetched from the network). */
  getBlock(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
  /** Whether the store holds the block locally. */
  hasBlock(cid: CID, options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Whether the store answers now (readiness). */
  isUp(): Promise<boolean>;
  close(): Promise<void>;
}

/** The store did not answer or refused a write; anchoring waits and retries. */
export class ContentStoreUnavailableError extends BaseError {
  override name = "ContentStoreUnavailableError";

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, {
      hints: [
        "Anchoring retries with backoff; check the IPFS node (Kubo URL) or the data directory's disk.",
      ],
      ...parameters,
    });
  }
}

/** The store's CID for a file differs from the sdk's: a chunking mismatch or corrupted bytes. Never retried blindly. */
export class ContentMismatchError extends BaseError {
  override name = "ContentMismatchError";
}

/** Collects a block store's chunked value into one buffer. */
export async function collectBytes(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
  }
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
