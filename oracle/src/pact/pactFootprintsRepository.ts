import type { Database } from "better-sqlite3";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";

export interface PactFootprintsRepositoryOptions {
  /** Checks a stored row against the PACT schema; tests count calls through it. */
  parse?: ((json: string) => ParsedFootprint) | undefined;
}

/**
 * The ProductFootprints the PACT API serves (migration 0008), one per lot,
 * stored as validated JSON. Publishing the same lot again replaces its
 * footprint (same id: the id is derived from the lot).
 *
 * Rows are checked against the schema again when read (they may have been
 * written by hand or by an older gateway). The result is kept per id with the
 * JSON it came from, so a listing re-checks only rows whose JSON changed. The
 * footprints handed out are shared between readers: do not mutate them.
 */
export class PactFootprintsRepository {
  readonly #db: Database;
  readonly #parse: (json: string) => ParsedFootprint;
  readonly #checked = new Map<string, { json: string; parsed: ParsedFootprint }>();

  constructor(db: Database, options: PactFootprintsRepositoryOptions = {}) {
    this.#db = db;
    this.#parse = options.parse ?? parseStoredFootprint;
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
    if (row === undefined) {
      this.#checked.delete(id);
      return { status: "missing" };
    }
    return this.#check({ id, json: row.json });
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
    const rows = this.stored();
    const footprints = rows.flatMap((row) => {
      const parsed = this.#check(row);
      if (parsed.status === "found") return [parsed.footprint];
      onUnreadable?.(row.id, parsed.reason);
      return [];
    });
    // Forget rows deleted since (the listing just read every row there is).
    if (this.#checked.size > rows.length) {
      const present = new Set(rows.map((row) => row.id));
      for (const id of this.#checked.keys()) if (!present.has(id)) this.#checked.delete(id);
    }
    return footprints;
  }

  /** The row checked against the schema, or the result kept from when it last had this JSON. */
  #check(row: { id: string; json: string }): ParsedFootprint {
    const kept = this.#checked.get(row.id);
    if (kept?.json === row.json) return kept.parsed;
    const parsed = this.#parse(row.json);
    this.#checked.set(row.id, { json: row.json, parsed });
    return parsed;
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
