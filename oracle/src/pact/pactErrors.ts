import type { FastifyReply } from "fastify";

/** The PACT v3 error response codes with their HTTP status (Tech Specs, "Error responses"). */
export const PACT_ERRORS = {
  AccessDenied: 403,
  BadRequest: 400,
  NoSuchFootprint: 404,
  NotImplemented: 400,
  TokenExpired: 401,
  InternalError: 500,
} as const;
export type PactErrorCode = keyof typeof PACT_ERRORS;

/** Sends `{ code, message }` as application/json with the code's status. */
export function sendPactError(reply: FastifyReply, code: PactErrorCode, message: string) {
  return reply.code(PACT_ERRORS[code]).type("application/json").send({ code, message });
}

/** An RFC 6749 §5.2 token endpoint error (the Authenticate action has its own error bodies). */
export function sendOAuthError(
  reply: FastifyReply,
  status: 400 | 401,
  error: "invalid_request" | "invalid_client" | "unsupported_grant_type",
  description: string,
) {
  if (status === 401) reply.header("www-authenticate", 'Basic realm="pact"');
  return reply
    .code(status)
    .header("cache-control", "no-store")
    .type("application/json")
    .send({ error, error_description: description });
}
