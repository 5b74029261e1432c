import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "../src/portal/passwordHash.ts";
import { SoftwareAuthenticator } from "./portalTestAuthenticator.ts";
import {
  ORIGIN,
  SITE_A,
  SITE_B,
  TEST_SCRYPT,
  cookieOf,
  openTestPortal,
  portalRequest,
  signIn,
} from "./portalTestServer.ts";

const PASSWORD = "correct horse battery staple";

const problemOf = async (response: Response) =>
  (await response.json()) as { reason: string; detail: string; status: number };

describe("password hashing", () => {
  it("stores scrypt with the documented default parameters and verifies only the right password", async () => {
    const stored = await hashPassword(PASSWORD);
    assert.match(stored, /^scrypt\$N=131072,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/u);
    assert.equal(await verifyPassword(PASSWORD, stored), true);
    assert.equal(await verifyPassword(`${PASSWORD}!`, stored), false);
    assert.equal(needsRehash(stored), false);
  });

  it("salts each hash and asks to rehash weaker parameters", async () => {
    const [a, b] = await Promise.all([
      hashPassword(PASSWORD, TEST_SCRYPT),
      hashPassword(PASSWORD, TEST_SCRYPT),
    ]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword(PASSWORD, a), true);
    assert.equal(needsRehash(a, DEFAULT_SCRYPT), true);
    assert.equal(await verifyPassword(PASSWORD, "md5$abc"), false);
  });

  it("rehashes a weak stored hash with the configured parameters at sign-in", async () => {
    const portal = openTestPortal({ server: { scrypt: { N: 2 ** 13, r: 8, p: 1 } } });
    try {
      await portal.addUser("ana", PASSWORD, [{ siteId: SITE_A, role: "operator" }]);
      await signIn(portal, "ana", PASSWORD);
      assert.match(portal.server.users.byUsername("ana")?.passwordHash ?? "", /^scrypt\$N=8192,/u);
    } finally {
      portal.close();
    }
  });
});

describe("password sign-in and sessions", () => {
  it("sets an httpOnly SameSite=Strict session cookie and answers the session", async () => {
    const portal = openTestPortal();
    try {
      await portal.addUser("ana", PASSWORD, [{ siteId: SITE_A, role: "operator" }]);
      const response = await portal.server.handle(
        portalRequest("login", { body: { username: "ANA", password: PASSWORD } }),
      );
      assert.equal(response.status, 200);
      const cookie = response.headers.get("set-cookie") ?? "";
      assert.match(cookie, /^ei_portal=[A-Za-z0-9_-]{43}; /u);
      assert.match(cookie, /; HttpOnly/u);
      assert.match(cookie, /; SameSite=Strict/u);
      assert.match(cookie, /; Path=\//u);
      const session = await portal.server.handle(
        portalRequest("session", { cookie: cookieOf(response) }),
      );
      assert.equal(session.status, 200);
      const body = (await session.json()) as { user: { username: string; roles: unknown[] } };
      assert.equal(body.user.username, "ana");
      assert.deepEqual(body.user.roles, [{ siteId: SITE_A, role: "operator" }]);
    } finally {
      portal.close();
    }
  });

  it("uses a __Host- Secure cookie on an https origin", async () => {
    const portal = openTestPortal({ server: { origin: "https://portal.example.com" } });
    try {
      await portal.addUser("ana", PASSWORD, []);
      const response = await portal.server.handle(
        new Request("https://portal.example.com/api/portal/login", {
          method: "POST",
          headers: { origin: "https://portal.example.com", "content-type": "application/json" },
          body: JSON.stringify({ username: "ana", password: PASSWORD }),
        }),
      );
      assert.match(response.headers.get("set-cookie") ?? "", /^__Host-ei_portal=.*; Secure$/u);
    } finally {
      portal.close();
    }
  });

  it("refuses a wrong password and an unknown user with the same answer", async () => {
    const portal = openTestPortal();
    try {
      await portal.addUser("ana", PASSWORD, []);
      for (const body of [
        { username: "ana", password: "wrong password!" },
        { username: "nobody", password: PASSWORD },
      ]) {
        const response = await portal.server.handle(portalRequest("login", { body }));
        assert.equal(response.status, 401);
        assert.equal(response.headers.get("set-cookie"), null);
        assert.deepEqual(await problemOf(response), {
          type: "https://energy-intelligence.dev/problems/portal/invalid_credentials",
          title: "Not signed in",
          status: 401,
          detail: "wrong username or password",
          reason: "invalid_credentials",
        });
      }
    } finally {
      portal.close();
    }
  });

  it("ends a session at sign-out, after the idle timeout, and for a disabled user", async () => {
    const portal = openTestPortal();
    try {
      const userId = await portal.addUser("ana", PASSWORD, []);
      const first = await signIn(portal, "ana", PASSWORD);
      const out = await portal.server.handle(
        portalRequest("logout", { body: {}, cookie: first.cookie, csrf: first.csrf }),
      );
      assert.equal(out.status, 200);
      assert.match(out.headers.get("set-cookie") ?? "", /Max-Age=0/u);
      assert.equal(
        (await portal.server.handle(portalRequest("session", { cookie: first.cookie }))).status,
        401,
      );

      const { token } = portal.server.sessions.create(userId, "password", 1_000);
      const idle = portal.server.sessions.policy.idleTimeoutMs;
      assert.notEqual(portal.server.sessions.resolve(token, 1_000 + idle - 1), undefined);
      assert.equal(portal.server.sessions.resolve(token, 1_000 + 2 * idle), undefined);

      const second = await signIn(portal, "ana", PASSWORD);
      portal.server.users.setDisabled(userId, true);
      assert.equal(
        (await portal.server.handle(portalRequest("session", { cookie: second.cookie }))).status,
        401,
      );
    } finally {
      portal.close();
    }
  });
});

describe("CSRF protection", () => {
  it("refuses a sign-in from another origin, without an origin, or as a form", async () => {
    const portal = openTestPortal();
    try {
      await portal.addUser("ana", PASSWORD, []);
      const body = { username: "ana", password: PASSWORD };
      const cross = await portal.server.handle(
        portalRequest("login", { body, origin: "https://evil.example" }),
      );
      assert.equal(cross.status, 403);
      assert.equal((await problemOf(cross)).reason, "csrf_origin");
      const none = await portal.server.handle(portalRequest("login", { body, origin: null }));
      assert.equal((await problemOf(none)).reason, "csrf_origin");
      const sameSite = await portal.server.handle(
        portalRequest("login", {
          body,
          origin: null,
          headers: { "sec-fetch-site": "same-origin" },
        }),
      );
      assert.equal(sameSite.status, 200);
      const form = await portal.server.handle(
        portalRequest("login", {
          body: `username=ana&password=${encodeURIComponent(PASSWORD)}`,
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      );
      assert.equal(form.status, 415);
    } finally {
      portal.close();
    }
  });

  it("refuses a signed-in stamp without the session's CSRF token and stamps nothing", async () => {
    const portal = openTestPortal();
    try {
      await portal.addUser("ana", PASSWORD, [{ siteId: SITE_A, role: "operator" }]);
      const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
      const body = { siteId: SITE_A, reference: "WO-1", machines: ["Press 7"], product: "BRK-A" };
      for (const token of [undefined, "forged", `${csrf.slice(0, -1)}x`]) {
        const response = await portal.server.handle(
          portalRequest("jobs/start", {
            body,
            cookie,
            ...(token === undefined ? {} : { csrf: token }),
          }),
        );
        assert.equal(response.status, 403);
        assert.equal((await problemOf(response)).reason, "csrf_token");
      }
      const other = await signIn(portal, "ana", PASSWORD);
      const crossSession = await portal.server.handle(
        portalRequest("jobs/start", { body, cookie, csrf: other.csrf }),
      );
      assert.equal((await problemOf(crossSession)).reason, "csrf_token");
      const count = portal.db.prepare("SELECT count(*) AS n FROM portal_stamps").get() as {
        n: number;
      };
      assert.equal(count.n, 0);
    } finally {
      portal.close();
    }
  });
});

describe("roles per site", () => {
  it("lets an operator read only its own site and refuses stamps elsewhere", async () => {
    const catalogs: string[] = [];
    const portal = openTestPortal({
      catalog: (siteId) => {
        catalogs.push(siteId);
        return Promise.resolve({
          machines: [{ machineId: `0x${"11".repeat(32)}`, name: "Press 7" }],
          products: [],
          jobs: [],
          blockNumber: 7n,
        });
      },
    });
    try {
      await portal.addUser("ana", PASSWORD, [{ siteId: SITE_A, role: "operator" }]);
      await portal.addUser("max", PASSWORD, [{ siteId: SITE_B, role: "site-manager" }]);
      const ana = await signIn(portal, "ana", PASSWORD);
      const own = await portal.server.handle(
        portalRequest(`sites/${SITE_A}/catalog`, { cookie: ana.cookie }),
      );
      assert.equal(own.status, 200);
      assert.equal(((await own.json()) as { machines: unknown[] }).machines.length, 1);
      const foreign = await portal.server.handle(
        portalRequest(`sites/${SITE_B}/catalog`, { cookie: ana.cookie }),
      );
      assert.equal(foreign.status, 403);
      assert.equal((await problemOf(foreign)).reason, "role_missing");
      const stamp = await portal.server.handle(
        portalRequest("jobs/start", {
          cookie: ana.cookie,
          csrf: ana.csrf,
          body: { siteId: SITE_B, reference: "WO-9", machines: ["Press 7"], product: "BRK-A" },
        }),
      );
      assert.equal(stamp.status, 403);
      assert.equal((await problemOf(stamp)).reason, "role_missing");
      // A site manager may stamp at its site as an operator would.
      const max = await signIn(portal, "max", PASSWORD);
      const managed = await portal.server.handle(
        portalRequest(`sites/${SITE_B}/catalog`, { cookie: max.cookie }),
      );
      assert.equal(managed.status, 200);
      assert.deepEqual(catalogs, [SITE_A, SITE_B]);
      const unauthenticated = await portal.server.handle(portalRequest(`sites/${SITE_A}/catalog`));
      assert.equal(unauthenticated.status, 401);
    } finally {
      portal.close();
    }
  });
});

describe("login rate limiting", () => {
  it("locks a username after five failures, even for the right password, and reopens after the window", async () => {
    const portal = openTestPortal();
    try {
      await portal.addUser("ana", PASSWORD, []);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await portal.server.handle(
          portalRequest("login", {
            body: { username: "ana", password: `guess number ${attempt}` },
          }),
        );
        assert.equal(response.status, 401);
      }
      const locked = await portal.server.handle(
        portalRequest("login", { body: { username: "ana", password: PASSWORD } }),
      );
      assert.equal(locked.status, 429);
      const retryAfter = Number(locked.headers.get("retry-after"));
      assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
      assert.equal(locked.headers.get("set-cookie"), null);
      const later = Date.now() + 15 * 60_000 + 1_000;
      assert.deepEqual(portal.server.limiter.check("ana", "unknown", later), { allowed: true });
    } finally {
      portal.close();
    }
  });

  it("limits one client address spraying many usernames, as the trusted proxies report it", async () => {
    const portal = openTestPortal({
      server: {
        rateLimits: { perUsername: 5, perAddress: 3, windowMs: 60_000 },
        trustedProxies: 2,
      },
    });
    try {
      await portal.addUser("ana", PASSWORD, []);
      const from = (forwardedFor: string, username: string, password: string) =>
        portal.server.handle(
          portalRequest("login", {
            body: { username, password },
            headers: { "x-forwarded-for": forwardedFor },
          }),
        );
      // Two proxies appended "192.0.2.7, 10.0.0.1"; what the client itself sent is to their left.
      for (const [forged, name] of [
        ["1.1.1.1", "u1"],
        ["2.2.2.2", "u2"],
        ["3.3.3.3", "u3"],
      ] as const)
        assert.equal(
          (await from(`${forged}, 192.0.2.7, 10.0.0.1`, name, "whatever pass")).status,
          401,
        );
      assert.equal((await from("192.0.2.7, 10.0.0.1", "ana", PASSWORD)).status, 429);
      // Another client behind the same proxies is not locked.
      assert.equal((await from("192.0.2.8, 10.0.0.1", "ana", PASSWORD)).status, 200);
    } finally {
      portal.close();
    }
  });

  it("trusts no forwarded address by default, so a client cannot lock out an address it names", async () => {
    const portal = openTestPortal({
      server: { rateLimits: { perUsername: 5, perAddress: 3, windowMs: 60_000 } },
    });
    try {
      await portal.addUser("ana", PASSWORD, []);
      for (const name of ["u1", "u2", "u3", "u4"]) {
        const response = await portal.server.handle(
          portalRequest("login", {
            body: { username: name, password: "whatever pass" },
            headers: { "x-forwarded-for": "192.0.2.7" },
          }),
        );
        assert.equal(response.status, 401);
      }
      const ana = await portal.server.handle(
        portalRequest("login", {
          body: { username: "ana", password: PASSWORD },
          headers: { "x-forwarded-for": "192.0.2.7" },
        }),
      );
      assert.equal(ana.status, 200);
      // The per-username limit still holds without any address.
      assert.deepEqual(portal.server.limiter.check("u1", undefined), { allowed: true });
    } finally {
      portal.close();
    }
  });

  it("refuses a negative trusted proxy count", () => {
    assert.throws(() => openTestPortal({ server: { trustedProxies: -1 } }), /trustedProxies/u);
  });
});

describe("passkeys (WebAuthn)", () => {
  const register = async (
    portal: ReturnType<typeof openTestPortal>,
    authenticator: SoftwareAuthenticator,
  ) => {
    await portal.addUser("ana", PASSWORD, [{ siteId: SITE_A, role: "operator" }]);
    const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
    const optionsResponse = await portal.server.handle(
      portalRequest("passkeys/register/options", { body: {}, cookie, csrf }),
    );
    assert.equal(optionsResponse.status, 200);
    const options = (await optionsResponse.json()) as Parameters<
      SoftwareAuthenticator["create"]
    >[0] & {
      authenticatorSelection: { residentKey: string; userVerification: string };
    };
    assert.equal(options.rp.id, "127.0.0.1");
    assert.deepEqual(options.authenticatorSelection.residentKey, "required");
    const credential = authenticator.create(options, ORIGIN);
    const registered = await portal.server.handle(
      portalRequest("passkeys/register", { body: credential, cookie, csrf }),
    );
    return { registered, cookie, csrf, credential };
  };

  const loginOptions = async (portal: ReturnType<typeof openTestPortal>) => {
    const response = await portal.server.handle(
      portalRequest("passkeys/login/options", { body: {} }),
    );
    assert.equal(response.status, 200);
    return (await response.json()) as { challenge: string; rpId: string };
  };

  it("registers a passkey for a signed-in user and signs in with it", async () => {
    const portal = openTestPortal();
    const authenticator = new SoftwareAuthenticator();
    try {
      const { registered } = await register(portal, authenticator);
      assert.equal(registered.status, 200, await registered.clone().text());
      assert.equal(((await registered.json()) as { passkeys: number }).passkeys, 1);

      const assertion = authenticator.get(await loginOptions(portal), ORIGIN);
      const login = await portal.server.handle(
        portalRequest("passkeys/login", { body: assertion }),
      );
      assert.equal(login.status, 200, await login.clone().text());
      const body = (await login.json()) as { method: string; user: { username: string } };
      assert.equal(body.method, "passkey");
      assert.equal(body.user.username, "ana");
      assert.match(login.headers.get("set-cookie") ?? "", /HttpOnly; SameSite=Strict/u);
    } finally {
      portal.close();
    }
  });

  it("refuses a replayed assertion, a wrong origin, a bad signature and an unknown credential", async () => {
    const portal = openTestPortal();
    const authenticator = new SoftwareAuthenticator();
    try {
      const { registered } = await register(portal, authenticator);
      assert.equal(registered.status, 200);
      const signInWith = async (assertion: unknown) => {
        const response = await portal.server.handle(
          portalRequest("passkeys/login", { body: assertion }),
        );
        return {
          status: response.status,
          reason: (await problemOf(response.clone())).reason,
          response,
        };
      };

      const first = authenticator.get(await loginOptions(portal), ORIGIN);
      assert.equal((await signInWith(first)).status, 200);
      const replay = await signInWith(first);
      assert.equal(replay.status, 401);
      assert.equal(replay.reason, "passkey_invalid");

      const phished = authenticator.get(await loginOptions(portal), ORIGIN, {
        clientOrigin: "https://evil.example",
      });
      assert.equal((await signInWith(phished)).status, 401);

      const forged = authenticator.get(await loginOptions(portal), ORIGIN);
      const signature = Buffer.from(forged.response.signature, "base64url");
      signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0x01;
      forged.response.signature = signature.toString("base64url");
      assert.equal((await signInWith(forged)).status, 401);

      const stranger = new SoftwareAuthenticator();
      stranger.create(
        { challenge: "AAAA", rp: { id: "127.0.0.1", name: "x" }, user: { id: "AAAA", name: "x" } },
        ORIGIN,
      );
      const unknown = await signInWith(stranger.get(await loginOptions(portal), ORIGIN));
      assert.equal(unknown.status, 401);
    } finally {
      portal.close();
    }
  });

  it("refuses a registration whose challenge was not issued to this session", async () => {
    const portal = openTestPortal();
    const authenticator = new SoftwareAuthenticator();
    try {
      await portal.addUser("ana", PASSWORD, []);
      const { cookie, csrf } = await signIn(portal, "ana", PASSWORD);
      const credential = authenticator.create(
        {
          challenge: "bm90LWlzc3VlZA",
          rp: { id: "127.0.0.1", name: "x" },
          user: { id: "AAAA", name: "ana" },
        },
        ORIGIN,
      );
      const response = await portal.server.handle(
        portalRequest("passkeys/register", { body: credential, cookie, csrf }),
      );
      assert.equal(response.status, 422);
      assert.equal(portal.server.passkeys.count(1), 0);
    } finally {
      portal.close();
    }
  });
});
