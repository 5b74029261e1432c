// Moved to the sdk (the dapp's verify page runs it in the browser).
export { readAnchorSignature } from "@energy-intelligence/sdk/verify/readAnchorSignature";
