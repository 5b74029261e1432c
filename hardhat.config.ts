import { createRequire } from "node:module";
import type { HardhatUserConfig } from "hardhat/config";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";

// The compiler comes from the npm `solc` package: Hardhat's own compiler download
// needs a network these machines do not have.
const require = createRequire(import.meta.url);
export const SOLC_VERSION = "0.8.30";

const config: HardhatUserConfig = {
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "cancun" },
      },
    },
  },
  paths: {
    sources: "./contracts",
    tests: { solidity: "./contracts/test", nodejs: "./test" },
  },
  networks: {
    localhost: { type: "http", url: "http://127.0.0.1:8545" },
  },
};

export default config;
