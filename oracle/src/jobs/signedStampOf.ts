import type { SignedJobStamp } from "@energy-intelligence/sdk/jobs/index";
import type { StampRecord } from "./jobsRepository.ts";

/** A queued stamp as `stampMany` takes it (the signed struct, its signer and signature). */
export function signedStampOf(stamp: StampRecord): SignedJobStamp {
  return {
    stamp: {
      jobId: stamp.jobId,
      siteId: stamp.siteId,
      action: stamp.action,
      machineIds: stamp.machineIds,
      productId: stamp.productId,
      units: BigInt(stamp.units),
      time: BigInt(stamp.timeS),
      channel: stamp.channel,
      nonce: stamp.nonce,
    },
    signer: stamp.signer,
    signature: stamp.signature,
  };
}
