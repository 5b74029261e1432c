export type ServiceName = "indexer" | "IPFS gateway" | "chain";

/** A service the page depends on did not answer, or answered with an error. */
export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
  readonly service: ServiceName;
  readonly url: string;
  readonly reason: string;
  constructor(service: ServiceName, url: string, reason: string) {
    super(`the ${service} at ${url} ${reason}`);
    this.service = service;
    this.url = url;
    this.reason = reason;
  }
}
