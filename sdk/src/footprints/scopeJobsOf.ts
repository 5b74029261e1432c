import type { Hex } from "viem";
import type { SiteJob } from "./readSiteJobs.ts";

/**
 * The jobs a lot's scope must account for: the lot's jobs, then every job
 * sharing one of their machines and overlapping the scope in time, and so on
 * for the machines those bring in (a job's energy can only be split with the
 * jobs it shared a machine with). Returns the scope window, the jobs and the
 * machines, or the running jobs that keep it from closing.
 *
 * @example
 * ```ts
 * const scope = scopeJobsOf(siteJobs, [jobId]);
 * if (scope.running.length > 0) wait();
 * ```
 */
export function scopeJobsOf(
  siteJobs: readonly SiteJob[],
  lotJobIds: readonly Hex[],
): {
  scope: { startMs: number; endMs: number };
  jobs: SiteJob[];
  machineIds: Hex[];
  running: SiteJob[];
  missing: Hex[];
} {
  const wanted = new Set(lotJobIds.map((id) => id.toLowerCase()));
  const lotJobs = siteJobs.filter((job) => wanted.has(job.jobId));
  const missing = [...wanted].filter((id) => !lotJobs.some((job) => job.jobId === id)) as Hex[];
  const running = lotJobs.filter((job) => job.stopMs === undefined);
  if (lotJobs.length === 0 || running.length > 0 || missing.length > 0) {
    return { scope: { startMs: 0, endMs: 0 }, jobs: lotJobs, machineIds: [], running, missing };
  }
  const scope = {
    startMs: Math.min(...lotJobs.map((job) => job.startMs)),
    endMs: Math.max(...lotJobs.map((job) => job.stopMs ?? 0)),
  };
  const machines = new Set(lotJobs.flatMap((job) => job.machineIds));
  const included = new Set(lotJobs.map((job) => job.jobId));
  let grew = true;
  while (grew) {
    grew = false;
    for (const job of siteJobs) {
      if (included.has(job.jobId)) continue;
      const overlaps =
        job.startMs < scope.endMs && (job.stopMs === undefined || job.stopMs > scope.startMs);
      if (!overlaps || !job.machineIds.some((id) => machines.has(id))) continue;
      included.add(job.jobId);
      for (const id of job.machineIds) machines.add(id);
      grew = true;
    }
  }
  const jobs = siteJobs.filter((job) => included.has(job.jobId));
  return {
    scope,
    jobs,
    machineIds: [...machines].sort(),
    running: jobs.filter((job) => job.stopMs === undefined),
    missing: [],
  };
}
