import { parseCid } from "@energy-intelligence/sdk/cid/index";
import { gatewayBlockSource } from "@energy-intelligence/sdk/verify/gatewayBlockSource";
import { readVerifiedUnixfsFile } from "@energy-intelligence/sdk/verify/readVerifiedUnixfsFile";
import { ServiceUnavailableError } from "./serviceErrors.ts";

/**
 * A document's bytes from the IPFS gateway, checked block by block against its CID (the same
 * read the verify page does in the browser), so what a page shows is what the chain names.
 */
export async function fetchIpfsDocument(ipfsGatewayUrl: string, cid: string): Promise<Uint8Array> {
  try {
    return await readVerifiedUnixfsFile(
      parseCid(cid),
      gatewayBlockSource(ipfsGatewayUrl, fetch, 10_000),
      ipfsGatewayUrl,
    );
  } catch (error) {
    throw new ServiceUnavailableError(
      "IPFS gateway",
      ipfsGatewayUrl,
      `could not serve ${cid} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
