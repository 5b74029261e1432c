import type { Hex } from "viem";

/**
 * Hardhat's well-known development keys (its default mnemonic's accounts #0–#3).
 * Public knowledge: for the local demo chain only, never a real network.
 */
export const DEMO_KEYS = {
  admin: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  siteManager: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  oracle: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  operator: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
} as const satisfies Record<string, Hex>;
