/** One check of a verification, as `ei verify` prints it and the dapp shows it. */
export interface VerificationCheck {
  id: string;
  ok: boolean;
  /** Nothing to check it with (e.g. a sealed document without the auditor key): ok, but says so. */
  skipped: boolean;
  detail: string;
}

/** Every check in the order it ran; the first failure is named. */
export interface VerificationReport {
  ok: boolean;
  /** Every check ran (none skipped and none left out after a failure). */
  complete: boolean;
  firstFailure: VerificationCheck | undefined;
  checks: VerificationCheck[];
}

export function finishReport(checks: VerificationCheck[], complete: boolean): VerificationReport {
  const firstFailure = checks.find((check) => !check.ok);
  return { ok: firstFailure === undefined, complete, firstFailure, checks };
}
