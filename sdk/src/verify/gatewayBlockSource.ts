import type { CID } from "multiformats/cid";
import { IpfsBlockUnavailableError } from "./ipfsBlockErrors.ts";
import type { BlockSource } from "./readVerifiedUnixfsFile.ts";

/**
 * Raw blocks from a trustless IPFS HTTP gateway (`GET <base>/ipfs/<cid>?format=raw`). The fetch
 * function comes from the caller (the browser's, Node's), so the sdk does no I/O of its own; every
 * block is checked against its CID by readVerifiedUnixfsFile, so the gateway is not trusted.
 */
export function gatewayBlockSource(
  gatewayUrl: string,
  fetcher: typeof fetch,
  timeoutMs = 60_000,
): BlockSource {
  const base = gatewayUrl.replace(/\/+$/u, "");
  return async (cid: CID) => {
    let response: Response;
    try {
      response = await fetcher(`${base}/ipfs/${cid.toString()}?format=raw`, {
        headers: { accept: "application/vnd.ipld.raw" },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new IpfsBlockUnavailableError(
        `${base} did not answer for ${cid.toString()}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new IpfsBlockUnavailableError(
        `${base} answered ${response.status} for ${cid.toString()}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}
