import type { Database } from "better-sqlite3";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";

/**
 * The ProductFootprints the PACT API serves (migration 0008), one per lot,
 * stored as validated JSON. Publishing the same lot again replaces its
 * footprint (same id: the id is derived from the lot).
 */
export class PactFootprintsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  publish(lotId: bigint, footprint: PactProductFootprint): void {
    const checked = productFootprintSchema.parse(footprint);
    this.#db
      .prepare(
        `INSERT INTO pact_footprints (id, lot_id, created_at_ms, json) VALUES (?, ?, ?, ?)
         ON CONFLICT (lot_id) DO UPDATE SET id = excluded.id, created_at_ms = excluded.created_at_ms, json = excluded.json`,
      )
      .run(checked.id, lotId.toString(), Date.parse(checked.created), JSON.stringify(checked));
  }

  /** Whether a lot has its PACT record (the minter's recovery pass looks for ones that do not). */
  hasLot(lotId: bigint): boolean {
    return (
      this.#db.prepare("SELECT 1 FROM pact_footprints WHERE lot_id = ?").get(lotId.toString()) !==
      undefined
    );
  }

  get(id: string): PactProductFootprint | undefined {
    const row = this.#db.prepare("SELECT json FROM pact_footprints WHERE id = ?").get(id) as
      { json: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.json) as PactProductFootprint);
  }

  /** Every footprint in a stable order (creation, then id), which pagination offsets rely on. */
  all(): PactProductFootprint[] {
    const rows = this.#db
      .prepare("SELECT json FROM pact_footprints ORDER BY created_at_ms, id")
      .all() as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as PactProductFootprint);
  }
}
