import type { Migration } from "../migration.ts";

/**
 * Suppliers' PACT footprints pulled by `ei pact pull` (oracle/src/pact,
 * docs/standards.md, "Suppliers' footprints"), kept for the bills of
 * materials that name them.
 *
 * - `supplier_footprints`: one row per ProductFootprint id, the JSON as
 *   received after it passed the PACT v3 schema, with the endpoint it came
 *   from and when it was last pulled. A later pull of the same id replaces
 *   it (PACT: a changed footprint gets a new id, so this only refreshes).
 */
export const migration0009SupplierFootprints: Migration = {
  version: 9,
  name: "supplier-footprints",
  up: `
    CREATE TABLE supplier_footprints (
      id             TEXT PRIMARY KEY,
      source         TEXT NOT NULL,
      company_name   TEXT NOT NULL,
      status         TEXT NOT NULL,
      created_at_ms  INTEGER NOT NULL,
      pulled_at_ms   INTEGER NOT NULL,
      json           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX supplier_footprints_source ON supplier_footprints (source);
  `,
  down: `
    DROP INDEX supplier_footprints_source;
    DROP TABLE supplier_footprints;
  `,
};
