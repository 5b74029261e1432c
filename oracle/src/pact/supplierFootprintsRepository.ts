import type { Database } from "better-sqlite3";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";

export interface SupplierFootprintRecord {
  footprint: PactProductFootprint;
  source: string;
  pulledAtMs: number;
}

/**
 * Suppliers' PACT footprints kept for bills of materials (migration 0009).
 * Only footprints that pass the PACT v3 schema are stored; a pull of an id
 * already kept replaces it, all of one pull in one transaction.
 */
export class SupplierFootprintsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores (or refreshes) footprints from one source; returns how many were new. */
  keep(source: string, footprints: readonly PactProductFootprint[], nowMs: number): number {
    const exists = this.#db.prepare("SELECT 1 FROM supplier_footprints WHERE id = ?");
    const upsert = this.#db.prepare(
      `INSERT INTO supplier_footprints (id, source, company_name, status, created_at_ms, pulled_at_ms, json)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET source = excluded.source, company_name = excluded.company_name,
         status = excluded.status, created_at_ms = excluded.created_at_ms, pulled_at_ms = excluded.pulled_at_ms,
         json = excluded.json`,
    );
    let created = 0;
    this.#db
      .transaction(() => {
        for (const footprint of footprints) {
          const checked = productFootprintSchema.parse(footprint);
          const id = checked.id.toLowerCase();
          if (exists.get(id) === undefined) created += 1;
          upsert.run(
            id,
            source,
            checked.companyName,
            checked.status,
            Date.parse(checked.created),
            nowMs,
            JSON.stringify(checked),
          );
        }
      })
      .immediate(); // reads before it writes: take the write lock first (see JobsRepository)
    return created;
  }

  get(id: string): SupplierFootprintRecord | undefined {
    const row = this.#db
      .prepare(
        "SELECT json, source, pulled_at_ms AS pulledAtMs FROM supplier_footprints WHERE id = ?",
      )
      .get(id.toLowerCase()) as { json: string; source: string; pulledAtMs: number } | undefined;
    return row === undefined
      ? undefined
      : {
          footprint: JSON.parse(row.json) as PactProductFootprint,
          source: row.source,
          pulledAtMs: row.pulledAtMs,
        };
  }

  /** Every kept footprint by id (lower case), for `materialsFootprintOf`. */
  byId(): Map<string, PactProductFootprint> {
    const rows = this.#db.prepare("SELECT id, json FROM supplier_footprints ORDER BY id").all() as {
      id: string;
      json: string;
    }[];
    return new Map(rows.map((row) => [row.id, JSON.parse(row.json) as PactProductFootprint]));
  }

  list(): {
    id: string;
    source: string;
    companyName: string;
    status: string;
    pulledAtMs: number;
  }[] {
    return this.#db
      .prepare(
        "SELECT id, source, company_name AS companyName, status, pulled_at_ms AS pulledAtMs FROM supplier_footprints ORDER BY company_name, id",
      )
      .all() as {
      id: string;
      source: string;
      companyName: string;
      status: string;
      pulledAtMs: number;
    }[];
  }
}
