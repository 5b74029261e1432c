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

  /**
   * The footprint with this id: `missing` when there is none, `unreadable` when its stored row
   * no longer passes the PACT schema (a row written by hand or by an older gateway), with why.
   */
  read(id: string): StoredFootprint {
    const row = this.#db.prepare("SELECT json FROM pact_footprints WHERE id = ?").get(id) as
      { json: string } | undefined;
    return row === undefined ? { status: "missing" } : parseStoredFootprint(row.json);
  }

  get(id: string): PactProductFootprint | undefined {
    const found = this.read(id);
    return found.status === "found" ? found.footprint : undefined;
  }

  /**
   * Every stored footprint as its id and stored JSON, unparsed, in the order of `all()`: readers
   * that cache what they build from a footprint compare the JSON to know when it changed.
   */
  stored(): { id: string; json: string }[] {
    return this.#db
      .prepare("SELECT id, json FROM pact_footprints ORDER BY created_at_ms, id")
      .all() as { id: string; json: string }[];
  }

  /**
   * Every footprint in a stable order (creation, then id), which pagination offsets rely on.
   * An unreadable row is left out and reported to `onUnreadable` (the routes log it).
   */
  all(onUnreadable?: (id: string, reason: string) => void): PactProductFootprint[] {
    return this.stored().flatMap((row) => {
      const parsed = parseStoredFootprint(row.json);
      if (parsed.status === "found") return [parsed.footprint];
      onUnreadable?.(row.id, parsed.reason);
      return [];
    });
  }
}

export type ParsedFootprint =
  { status: "found"; footprint: PactProductFootprint } | { status: "unreadable"; reason: string };
export type StoredFootprint = ParsedFootprint | { status: "missing" };

/** A stored footprint's JSON checked against the PACT schema again (it is read at an edge). */
export function parseStoredFootprint(json: string): ParsedFootprint {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { status: "unreadable", reason: "the stored row is not JSON" };
  }
  const parsed = productFootprintSchema.safeParse(raw);
  if (parsed.success) return { status: "found", footprint: parsed.data };
  const [issue] = parsed.error.issues;
  return {
    status: "unreadable",
    reason: `${issue === undefined || issue.path.length === 0 ? "footprint" : issue.path.join(".")}: ${issue?.message ?? "invalid"}`,
  };
}
