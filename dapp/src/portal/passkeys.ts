import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Database } from "better-sqlite3";
import type { PortalUser } from "./portalUsers.ts";

export interface RelyingParty {
  /** Shown by the authenticator. */
  name: string;
  /** The portal's host name (no scheme, no port): passkeys are bound to it. */
  id: string;
  /** The exact origin browsers send in clientDataJSON (`https://portal.example.com`). */
  origin: string;
}

/** A ceremony must finish within this long (the options' timeout is the same). */
const CHALLENGE_TTL_MS = 5 * 60_000;

export class PasskeyError extends Error {
  override name = "PasskeyError";
}

interface PasskeyRow {
  credential_id: string;
  user_id: number;
  public_key: Buffer;
  counter: number;
  transports: string;
}

/**
 * Passkeys (WebAuthn) with @simplewebauthn/server: registration for a
 * signed-in user, and sign-in with a discoverable credential (no username
 * typed). Challenges are kept server-side, single use, for five minutes; the
 * signature counter is checked and stored so a cloned authenticator shows.
 */
export class Passkeys {
  readonly #db: Database;
  readonly #rp: RelyingParty;

  constructor(db: Database, rp: RelyingParty) {
    this.#db = db;
    this.#rp = rp;
  }

  #saveChallenge(
    challenge: string,
    purpose: "register" | "authenticate",
    userId: number | null,
    nowMs: number,
  ): void {
    this.#db.transaction(() => {
      this.#db.prepare("DELETE FROM webauthn_challenges WHERE expires_at_ms <= ?").run(nowMs);
      this.#db
        .prepare(
          "INSERT INTO webauthn_challenges (challenge, purpose, user_id, expires_at_ms) VALUES (?, ?, ?, ?)",
        )
        .run(challenge, purpose, userId, nowMs + CHALLENGE_TTL_MS);
    })();
  }

  /** Takes a challenge out (single use): true when it was issued for this purpose (and user) and is live. */
  #takeChallenge(
    challenge: string,
    purpose: "register" | "authenticate",
    userId: number | null,
    nowMs: number,
  ): boolean {
    const row = this.#db
      .prepare<[string], { purpose: string; user_id: number | null; expires_at_ms: number }>(
        "DELETE FROM webauthn_challenges WHERE challenge = ? RETURNING purpose, user_id, expires_at_ms",
      )
      .get(challenge);
    return row?.purpose === purpose && row.user_id === userId && row.expires_at_ms > nowMs;
  }

  #rows(userId: number): PasskeyRow[] {
    return this.#db
      .prepare<[number], PasskeyRow>("SELECT * FROM passkeys WHERE user_id = ?")
      .all(userId);
  }

  /** How many passkeys a user has. */
  count(userId: number): number {
    return this.#rows(userId).length;
  }

  async registrationOptions(
    user: PortalUser,
    nowMs = Date.now(),
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const options = await generateRegistrationOptions({
      rpName: this.#rp.name,
      rpID: this.#rp.id,
      userName: user.username,
      userDisplayName: user.displayName,
      userID: Buffer.from(user.webauthnUserId, "base64url"),
      timeout: CHALLENGE_TTL_MS,
      attestationType: "none",
      excludeCredentials: this.#rows(user.userId).map((row) => ({
        id: row.credential_id,
        transports: JSON.parse(row.transports) as string[],
      })),
      // Discoverable, so sign-in needs no username; user verification (PIN, biometrics) required.
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    this.#saveChallenge(options.challenge, "register", user.userId, nowMs);
    return options;
  }

  /** Verifies a registration response and stores the credential. */
  async register(
    user: PortalUser,
    response: RegistrationResponseJSON,
    nowMs = Date.now(),
  ): Promise<{ credentialId: string }> {
    // An object, not a let: the callback sets it, which narrowing cannot see.
    const challenge = { ok: false };
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (sent) => {
          challenge.ok = this.#takeChallenge(sent, "register", user.userId, nowMs);
          return challenge.ok;
        },
        expectedOrigin: this.#rp.origin,
        expectedRPID: this.#rp.id,
        requireUserVerification: true,
      });
    } catch (error) {
      throw new PasskeyError(
        challenge.ok
          ? `the passkey registration did not verify: ${(error as Error).message}`
          : "the registration challenge is unknown, used or expired; start again",
      );
    }
    if (!verification.verified) throw new PasskeyError("the passkey registration did not verify");
    const { credential } = verification.registrationInfo;
    const existing = this.#db
      .prepare("SELECT 1 FROM passkeys WHERE credential_id = ?")
      .get(credential.id);
    if (existing !== undefined) throw new PasskeyError("this passkey is registered already");
    this.#db
      .prepare(
        `INSERT INTO passkeys (credential_id, user_id, public_key, counter, transports, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        credential.id,
        user.userId,
        Buffer.from(credential.publicKey),
        credential.counter,
        JSON.stringify(credential.transports ?? []),
        nowMs,
      );
    return { credentialId: credential.id };
  }

  /** Options for a sign-in with any discoverable passkey of this portal. */
  async authenticationOptions(nowMs = Date.now()): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({
      rpID: this.#rp.id,
      timeout: CHALLENGE_TTL_MS,
      userVerification: "required",
    });
    this.#saveChallenge(options.challenge, "authenticate", null, nowMs);
    return options;
  }

  /** Verifies a sign-in assertion; returns the user id it proves. */
  async authenticate(response: AuthenticationResponseJSON, nowMs = Date.now()): Promise<number> {
    const row = this.#db
      .prepare<[string], PasskeyRow>("SELECT * FROM passkeys WHERE credential_id = ?")
      .get(response.id);
    if (row === undefined) throw new PasskeyError("this passkey is not registered here");
    // An object, not a let: the callback sets it, which narrowing cannot see.
    const challenge = { ok: false };
    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (sent) => {
          challenge.ok = this.#takeChallenge(sent, "authenticate", null, nowMs);
          return challenge.ok;
        },
        expectedOrigin: this.#rp.origin,
        expectedRPID: this.#rp.id,
        credential: {
          id: row.credential_id,
          publicKey: new Uint8Array(row.public_key),
          counter: row.counter,
          transports: JSON.parse(row.transports) as string[],
        },
        requireUserVerification: true,
      });
    } catch (error) {
      throw new PasskeyError(
        challenge.ok
          ? `the passkey sign-in did not verify: ${(error as Error).message}`
          : "the sign-in challenge is unknown, used or expired; start again",
      );
    }
    if (!verification.verified) throw new PasskeyError("the passkey sign-in did not verify");
    // The user handle, when the authenticator returns it, must name the credential's owner.
    const handle = response.response.userHandle;
    if (handle !== undefined) {
      const owner = this.#db
        .prepare<[number], { webauthn_user_id: string }>(
          "SELECT webauthn_user_id FROM users WHERE user_id = ?",
        )
        .get(row.user_id);
      if (owner?.webauthn_user_id !== handle)
        throw new PasskeyError("the passkey's user handle does not match its owner");
    }
    this.#db
      .prepare("UPDATE passkeys SET counter = ?, last_used_at_ms = ? WHERE credential_id = ?")
      .run(verification.authenticationInfo.newCounter, nowMs, row.credential_id);
    return row.user_id;
  }
}
