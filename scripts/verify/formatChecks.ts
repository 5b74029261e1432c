/** One line per check, as `ei verify` prints them. */
export interface PrintedCheck {
  id: string;
  ok: boolean;
  skipped: boolean;
  detail: string;
}

/** `✓ id  detail`, `✗ id  detail`, `– id  detail (skipped)`, ids padded to one column. */
export function formatChecks(checks: readonly PrintedCheck[]): string {
  const width = Math.max(...checks.map((check) => check.id.length));
  return checks
    .map((check) => {
      const mark = !check.ok ? "✗" : check.skipped ? "–" : "✓";
      return `${mark} ${check.id.padEnd(width)}  ${check.detail}${check.skipped && check.ok ? " (skipped)" : ""}`;
    })
    .join("\n");
}
