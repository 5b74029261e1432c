// JobStamps: jobs and each start/stop stamp with its channel and times; the relayed-stamp clock rules.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { ClockRulesSet, JobStarted, JobStopped } from "../../generated/JobStamps/JobStamps";
import { Job, JobStamp } from "../../generated/schema";
import { eventId, pairId, saveSetting } from "./helpers";

function createOrLoadJob(
  jobId: Bytes,
  siteId: Bytes,
  productId: Bytes,
  machineIds: Array<Bytes>,
): Job {
  let job = Job.load(jobId.toHexString());
  if (job == null) {
    job = new Job(jobId.toHexString());
    job.startedAt = null;
    job.stoppedAt = null;
    job.units = null;
    job.lot = null;
    job.status = "started";
  }
  job.site = siteId.toHexString();
  job.product = pairId(siteId.toHexString(), productId.toHexString());
  // A stop from a wallet names no machines (the start did): keep the start's list then.
  if (machineIds.length > 0 || job.get("machines") == null) {
    const machines = new Array<string>(machineIds.length);
    for (let i = 0; i < machineIds.length; i++) machines[i] = machineIds[i].toHexString();
    job.machines = machines;
  }
  return job;
}

function saveStamp(
  event: ethereum.Event,
  job: Job,
  action: string,
  channel: i32,
  time: BigInt,
  units: BigInt | null,
  stampedBy: Bytes,
): void {
  const stamp = new JobStamp(eventId(event));
  stamp.job = job.id;
  stamp.action = action;
  stamp.channel = channel;
  stamp.time = time;
  stamp.units = units;
  stamp.stampedBy = stampedBy;
  stamp.blockNumber = event.block.number;
  stamp.blockTimestamp = event.block.timestamp;
  stamp.transactionHash = event.transaction.hash;
  stamp.save();
}

export function handleJobStarted(event: JobStarted): void {
  const p = event.params;
  const job = createOrLoadJob(p.jobId, p.siteId, p.productId, p.machineIds);
  job.startedAt = p.time;
  job.save();
  saveStamp(event, job, "start", p.channel, p.time, null, p.stampedBy);
}

export function handleJobStopped(event: JobStopped): void {
  const p = event.params;
  const job = createOrLoadJob(p.jobId, p.siteId, p.productId, p.machineIds);
  job.stoppedAt = p.time;
  job.units = p.units;
  job.status = "stopped";
  job.save();
  saveStamp(event, job, "stop", p.channel, p.time, p.units, p.stampedBy);
}

export function handleClockRulesSet(event: ClockRulesSet): void {
  saveSetting(event, "maxStampAgeSeconds", event.params.maxStampAgeSeconds.toString());
  saveSetting(event, "maxClockSkewSeconds", event.params.maxClockSkewSeconds.toString());
}
