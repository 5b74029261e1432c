// Moved to the sdk (the dapp's verify page runs it in the browser).
export { findContainerAnchor } from "@energy-intelligence/sdk/verify/findContainerAnchor";
export type { ContainerAnchor } from "@energy-intelligence/sdk/verify/findContainerAnchor";
