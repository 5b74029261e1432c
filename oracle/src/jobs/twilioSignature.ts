import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio documents it for
 * webhooks: take the full URL Twilio requested (scheme, host, path, query), and
 * for a form POST append each parameter name followed by its value, names
 * sorted (byte order); HMAC-SHA1 that string with the account's auth token;
 * base64-encode the digest. A name with several values contributes each value,
 * in the order received, after its name.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: ReadonlyMap<string, readonly string[]>,
): string {
  let data = url;
  for (const name of [...params.keys()].sort()) {
    for (const value of params.get(name) ?? []) data += name + value;
  }
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Whether a presented X-Twilio-Signature matches, compared in constant time. */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: ReadonlyMap<string, readonly string[]>,
  presented: string | undefined,
): boolean {
  if (presented === undefined || presented === "") return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params), "utf8");
  const given = Buffer.from(presented, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Parses an application/x-www-form-urlencoded body into name → values (order kept). */
export function parseFormBody(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    params.set(name, [...(params.get(name) ?? []), value]);
  }
  return params;
}
