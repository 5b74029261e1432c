/** The sdk's public surface: each area re-exports its own index. */
export * from "./errors/index.ts";
export * from "./json/index.ts";
export * from "./cid/index.ts";
export * from "./device/index.ts";
export * from "./merkle/index.ts";
export * from "./readings/index.ts";
export * from "./units/index.ts";
export * from "./accounting/index.ts";
export * from "./factors/index.ts";
export * from "./eip712/index.ts";
export * from "./contracts/index.ts";
export * from "./containers/index.ts";
export * from "./disclosure/index.ts";
export * from "./jobs/index.ts";
export * from "./claims/index.ts";
