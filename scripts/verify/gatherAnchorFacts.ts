// Moved to the sdk (the dapp's verify page runs it in the browser).
export { gatherAnchorFacts } from "@energy-intelligence/sdk/verify/gatherAnchorFacts";
export type { AnchorFacts } from "@energy-intelligence/sdk/verify/gatherAnchorFacts";
