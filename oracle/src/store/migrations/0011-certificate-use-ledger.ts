import type { Migration } from "../migration.ts";

/**
 * What each site's containers have used of each certificate, kept as running totals so a
 * restart does not read every stored container document again (oracle/src/claims,
 * CertificateUseLedger).
 *
 * - `certificate_use_scan`: per site, the highest container_ref whose document is counted.
 *   Containers above it are read on the next use and counted in the same transaction that
 *   moves it, so a crash in between counts them once, later.
 * - `certificate_use`: per (site, certificate), the milliwatt-hours those containers used
 *   (their public scope2 section), as a decimal string (it outgrows 2^53).
 */
export const migration0011CertificateUseLedger: Migration = {
  version: 11,
  name: "certificate-use-ledger",
  up: `
    CREATE TABLE certificate_use_scan (
      site_id             TEXT PRIMARY KEY,
      scanned_through_ref INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE certificate_use (
      site_id              TEXT NOT NULL,
      certificate_id       TEXT NOT NULL,
      used_milliwatt_hours TEXT NOT NULL,
      PRIMARY KEY (site_id, certificate_id)
    ) STRICT;
  `,
  down: `
    DROP TABLE certificate_use;
    DROP TABLE certificate_use_scan;
  `,
};
