import { randomBytes } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { Hex } from "viem";

/** Roles per site. A site manager may do what an operator may, and manage the site's portal users. */
export const PORTAL_ROLES = ["operator", "site-manager"] as const;
export type PortalRole = (typeof PORTAL_ROLES)[number];

export interface SiteRole {
  siteId: Hex;
  role: PortalRole;
}

export interface PortalUser {
  userId: number;
  username: string;
  displayName: string;
  /** null: passkeys only. */
  passwordHash: string | null;
  /** The WebAuthn user handle (base64url of 32 random bytes). */
  webauthnUserId: string;
  disabled: boolean;
  createdAtMs: number;
  roles: SiteRole[];
}

interface UserRow {
  user_id: number;
  username: string;
  display_name: string;
  password_hash: string | null;
  webauthn_user_id: string;
  disabled: number;
  created_at_ms: number;
}

/** Usernames: what people type; letters, digits and `.`, `_`, `-`, `@`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/u;

export class PortalUserExistsError extends Error {
  override name = "PortalUserExistsError";
}

/** The portal's users and their per-site roles. */
export class PortalUsers {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  #roles(userId: number): SiteRole[] {
    const rows = this.#db
      .prepare<[number], { site_id: string; role: PortalRole }>(
        "SELECT site_id, role FROM user_site_roles WHERE user_id = ? ORDER BY site_id, role",
      )
      .all(userId);
    return rows.map((row) => ({ siteId: row.site_id as Hex, role: row.role }));
  }

  #toUser(row: UserRow | undefined): PortalUser | undefined {
    if (row === undefined) return undefined;
    return {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      passwordHash: row.password_hash,
      webauthnUserId: row.webauthn_user_id,
      disabled: row.disabled !== 0,
      createdAtMs: row.created_at_ms,
      roles: this.#roles(row.user_id),
    };
  }

  /** Creates a user with roles (all in one transaction). */
  create(input: {
    username: string;
    displayName?: string;
    passwordHash: string | null;
    roles: readonly SiteRole[];
    nowMs?: number;
  }): PortalUser {
    if (!USERNAME_PATTERN.test(input.username))
      throw new TypeError(
        `username "${input.username}" must be 2–64 characters: letters, digits, . _ @ -`,
      );
    const create = this.#db.transaction(() => {
      if (this.byUsername(input.username) !== undefined)
        throw new PortalUserExistsError(`user "${input.username}" exists already`);
      const result = this.#db
        .prepare(
          `INSERT INTO users (username, display_name, password_hash, webauthn_user_id, created_at_ms)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(
          input.username,
          input.displayName ?? input.username,
          input.passwordHash,
          randomBytes(32).toString("base64url"),
          input.nowMs ?? Date.now(),
        );
      const userId = Number(result.lastInsertRowid);
      for (const role of input.roles) this.grant(userId, role);
      return userId;
    });
    const user = this.byId(create());
    if (user === undefined) throw new Error("the user vanished after it was created");
    return user;
  }

  grant(userId: number, role: SiteRole): void {
    this.#db
      .prepare("INSERT OR IGNORE INTO user_site_roles (user_id, site_id, role) VALUES (?, ?, ?)")
      .run(userId, role.siteId.toLowerCase(), role.role);
  }

  revoke(userId: number, role: SiteRole): void {
    this.#db
      .prepare("DELETE FROM user_site_roles WHERE user_id = ? AND site_id = ? AND role = ?")
      .run(userId, role.siteId.toLowerCase(), role.role);
  }

  setPasswordHash(userId: number, passwordHash: string): void {
    this.#db
      .prepare("UPDATE users SET password_hash = ? WHERE user_id = ?")
      .run(passwordHash, userId);
  }

  setDisabled(userId: number, disabled: boolean): void {
    this.#db.transaction(() => {
      this.#db
        .prepare("UPDATE users SET disabled = ? WHERE user_id = ?")
        .run(disabled ? 1 : 0, userId);
      // A disabled user is signed out everywhere at once.
      if (disabled) this.#db.prepare("DELETE FROM sessions WHERE user_id = ?").run(userId);
    })();
  }

  byUsername(username: string): PortalUser | undefined {
    return this.#toUser(
      this.#db.prepare<[string], UserRow>("SELECT * FROM users WHERE username = ?").get(username),
    );
  }

  byId(userId: number): PortalUser | undefined {
    return this.#toUser(
      this.#db.prepare<[number], UserRow>("SELECT * FROM users WHERE user_id = ?").get(userId),
    );
  }

  byWebauthnUserId(handle: string): PortalUser | undefined {
    return this.#toUser(
      this.#db
        .prepare<[string], UserRow>("SELECT * FROM users WHERE webauthn_user_id = ?")
        .get(handle),
    );
  }

  list(): PortalUser[] {
    return this.#db
      .prepare<[], UserRow>("SELECT * FROM users ORDER BY username")
      .all()
      .map((row) => this.#toUser(row))
      .filter((user): user is PortalUser => user !== undefined);
  }
}

/** True when the user holds one of `roles` at the site (a site manager also counts as an operator). */
export function hasSiteRole(
  user: Pick<PortalUser, "roles" | "disabled">,
  siteId: Hex,
  role: PortalRole,
): boolean {
  if (user.disabled) return false;
  const site = siteId.toLowerCase();
  return user.roles.some(
    (held) =>
      held.siteId.toLowerCase() === site && (held.role === role || held.role === "site-manager"),
  );
}

/** The sites where the user may stamp jobs. */
export function stampingSites(user: Pick<PortalUser, "roles" | "disabled">): Hex[] {
  if (user.disabled) return [];
  return [...new Set(user.roles.map((role) => role.siteId.toLowerCase() as Hex))];
}
