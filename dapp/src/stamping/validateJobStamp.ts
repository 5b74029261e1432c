import { MAX_JOB_REFERENCE_LENGTH } from "@energy-intelligence/sdk/jobs/deriveJobId";

/** The machines a job can name at once (the portal API's and gateway's limit). */
export const MAX_JOB_MACHINES = 32;

/** What an operator typed into the start form, with machines and product as catalog ids. */
export interface JobStartDraft {
  reference: string;
  machineIds: readonly string[];
  productId: string;
}

/** One message per field, so each is shown beside its input; empty when the draft is fine. */
export interface JobStartProblems {
  reference?: string;
  machines?: string;
  product?: string;
}

/**
 * Checks a start before anything is signed or sent. The reference is used exactly as typed (the
 * job id hashes it), so surrounding spaces are refused rather than trimmed: "WO-1 " would silently
 * name another job than "WO-1".
 */
export function validateJobStart(draft: JobStartDraft): JobStartProblems {
  const problems: JobStartProblems = {};
  const { reference } = draft;
  if (reference.trim() === "") problems.reference = "Enter the job reference (work order).";
  else if (reference.length > MAX_JOB_REFERENCE_LENGTH)
    problems.reference = `The job reference has ${reference.length} characters; at most ${MAX_JOB_REFERENCE_LENGTH} are allowed.`;
  else if (reference !== reference.trim())
    problems.reference =
      "Remove the spaces before or after the job reference: it names the job exactly as typed.";
  if (draft.machineIds.length === 0) problems.machines = "Choose at least one machine.";
  else if (draft.machineIds.length > MAX_JOB_MACHINES)
    problems.machines = `Choose at most ${MAX_JOB_MACHINES} machines for one job.`;
  if (draft.productId === "") problems.product = "Choose the product (SKU) the job makes.";
  return problems;
}

export type UnitsCheck = { ok: true; units: number } | { ok: false; problem: string };

/** The units produced, typed when a job stops: a whole number from 1 up (JSON-safe, fits uint64). */
export function validateUnits(text: string): UnitsCheck {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "Enter the units produced." };
  if (!/^[0-9]+$/u.test(trimmed))
    return { ok: false, problem: "Units must be a whole number, like 120." };
  const units = Number(trimmed);
  if (units < 1) return { ok: false, problem: "Units must be 1 or more." };
  if (!Number.isSafeInteger(units))
    return { ok: false, problem: `Units must be at most ${Number.MAX_SAFE_INTEGER}.` };
  return { ok: true, units };
}
