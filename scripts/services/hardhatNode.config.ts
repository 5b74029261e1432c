import type { HardhatUserConfig } from "hardhat/config";
import baseConfig from "../../hardhat.config.ts";

/**
 * The project's Hardhat config plus the `eiNode` network that `startHardhatNode` serves. Its
 * genesis is fixed by the environment (EI_NODE_INITIAL_DATE; the chain id and accounts are Hardhat's defaults) so that a node
 * started again for one data directory builds the same genesis block, which replaying a chain
 * journal needs; transactions are mined in the order they arrived (fifo), so a block replayed
 * from its transactions comes out in the recorded order.
 */
const initialDate = process.env.EI_NODE_INITIAL_DATE;

const config: HardhatUserConfig = {
  ...baseConfig,
  networks: {
    ...baseConfig.networks,
    eiNode: {
      type: "edr-simulated",
      ...(initialDate === undefined || initialDate === "" ? {} : { initialDate }),
      mining: { auto: true, interval: 0, mempool: { order: "fifo" } },
    },
  },
};

export default config;
