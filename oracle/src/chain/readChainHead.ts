/** The one uncached head read lives in the sdk (shared with the indexer and the dApp). */
export { readChainHead } from "@energy-intelligence/sdk/chain/readChainHead";
