import type { Database, Statement } from "better-sqlite3";
import {
  containerPublicPartSchema,
  type ContainerScope2,
} from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import type { ContainersRepository } from "../store/containersRepository.ts";

/** Containers read per catch-up step (one write transaction each). */
const PAGE = 500;

function scope2Of(bytes: Uint8Array): ContainerScope2 | undefined {
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as {
    public?: unknown;
    readings?: unknown;
  };
  // A sealed envelope keeps the public part apart; an open document carries its readings.
  const { readings: _readings, ...open } = raw;
  const parsed = containerPublicPartSchema.safeParse(
    typeof raw.public === "object" ? raw.public : open,
  );
  return parsed.success ? parsed.data.scope2 : undefined;
}

/**
 * What a site's containers have used of each certificate (their public scope2 section, sealed
 * or not), the closer's ledger of its own use (migration 0011). The totals are kept in SQLite
 * with the last container counted, so a restart reads only the documents of containers closed
 * since (by this gateway or while it was down), never all of them again.
 */
export class CertificateUseLedger {
  readonly #db: Database;
  readonly #containers: Pick<ContainersRepository, "document">;
  readonly #cursor: Statement;
  readonly #newer: Statement;
  readonly #totals: Statement;
  readonly #add: Statement;
  readonly #move: Statement;

  constructor(db: Database, containers: Pick<ContainersRepository, "document">) {
    this.#db = db;
    this.#containers = containers;
    this.#cursor = db
      .prepare("SELECT scanned_through_ref FROM certificate_use_scan WHERE site_id = ?")
      .pluck();
    this.#newer = db
      .prepare(
        `SELECT container_ref FROM containers WHERE site_id = ? AND container_ref > ?
         ORDER BY container_ref LIMIT ${PAGE}`,
      )
      .pluck();
    this.#totals = db.prepare(
      "SELECT certificate_id, used_milliwatt_hours FROM certificate_use WHERE site_id = ?",
    );
    this.#add = db.prepare(
      `INSERT INTO certificate_use (site_id, certificate_id, used_milliwatt_hours) VALUES (?, ?, ?)
       ON CONFLICT (site_id, certificate_id) DO UPDATE SET used_milliwatt_hours = excluded.used_milliwatt_hours`,
    );
    this.#move = db.prepare(
      `INSERT INTO certificate_use_scan (site_id, scanned_through_ref) VALUES (?, ?)
       ON CONFLICT (site_id) DO UPDATE SET scanned_through_ref = excluded.scanned_through_ref`,
    );
  }

  /** Per certificate id, the milliwatt-hours the site's containers used, counting any not yet counted. */
  usedAt(siteId: string): Map<string, bigint> {
    this.#catchUp(siteId);
    return this.#read(siteId);
  }

  #read(siteId: string): Map<string, bigint> {
    const rows = this.#totals.all(siteId) as {
      certificate_id: string;
      used_milliwatt_hours: string;
    }[];
    return new Map(rows.map((row) => [row.certificate_id, BigInt(row.used_milliwatt_hours)]));
  }

  #catchUp(siteId: string): void {
    for (;;) {
      const from = (this.#cursor.get(siteId) as number | undefined) ?? 0;
      const refs = this.#newer.all(siteId, from) as number[];
      const last = refs.at(-1);
      if (last === undefined) return;
      // Documents are read outside the write lock; the totals move only if no other closer
      // counted the same containers meanwhile (then this page is read again from its cursor).
      const use = new Map<string, bigint>();
      for (const ref of refs) {
        for (const instrument of scope2Of(this.#containers.document(ref))?.instruments ?? []) {
          const amount = BigInt(instrument.usedMilliWattHours);
          if (amount > 0n)
            use.set(instrument.certificateId, (use.get(instrument.certificateId) ?? 0n) + amount);
        }
      }
      const moved = this.#db
        .transaction(() => {
          if (((this.#cursor.get(siteId) as number | undefined) ?? 0) !== from) return false;
          const totals = this.#read(siteId);
          for (const [certificateId, amount] of use)
            this.#add.run(
              siteId,
              certificateId,
              ((totals.get(certificateId) ?? 0n) + amount).toString(),
            );
          this.#move.run(siteId, last);
          return true;
        })
        .immediate();
      if (moved && refs.length < PAGE) return;
    }
  }
}
