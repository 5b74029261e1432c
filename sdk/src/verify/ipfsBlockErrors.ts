/** The block was found but its bytes do not hash to its CID: the source is lying. */
export class IpfsBlockMismatchError extends Error {
  override name = "IpfsBlockMismatchError";
}
/** The block could not be found or fetched. */
export class IpfsBlockUnavailableError extends Error {
  override name = "IpfsBlockUnavailableError";
}
