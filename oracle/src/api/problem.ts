import type { FastifyReply } from "fastify";
import { REJECTION_REASONS, type RejectionReason } from "../ingest/rejectionReasons.ts";
import type { Problem } from "./schemas.ts";

const PROBLEM_TYPE_BASE = "https://energy-intelligence.dev/problems/";

/** Sends an RFC 9457 problem+json for an ingest refusal reason. */
export function sendRejection(
  reply: FastifyReply,
  reason: RejectionReason,
  detail: string,
): FastifyReply {
  const { status, title } = REJECTION_REASONS[reason];
  if (status === 503) void reply.header("retry-after", "1");
  return sendProblem(reply, {
    type: `${PROBLEM_TYPE_BASE}${reason}`,
    title,
    status,
    detail,
    reason,
  });
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type("application/problem+json").send(problem);
}
