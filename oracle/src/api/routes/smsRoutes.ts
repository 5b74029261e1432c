import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { handleSms } from "../../jobs/smsHandler.ts";
import { twimlMessage } from "../../jobs/smsCommands.ts";
import { isValidTwilioSignature, parseFormBody } from "../../jobs/twilioSignature.ts";
import type { StampingServices } from "../../jobs/startStampingServices.ts";
import { sendProblem } from "../problem.ts";
import { jsonSchema } from "../schemas.ts";

const PROBLEM_BASE = "https://energy-intelligence.dev/problems/";

/** The fields of Twilio's inbound-message webhook the gateway uses (Twilio sends more; all are signed). */
const inboundSmsSchema = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().optional(),
  Body: z.string(),
});

/**
 * `POST /v1/sms/twilio`: Twilio's inbound-message webhook
 * (application/x-www-form-urlencoded). The X-Twilio-Signature is checked over
 * the configured webhook URL and every posted parameter before anything else;
 * a forged or unsigned request gets 403 and changes nothing. Each MessageSid is
 * handled once: Twilio's retries get the first reply again. Replies are TwiML.
 */
export function smsRoutes(app: FastifyInstance, stamping: StampingServices): void {
  const sms = stamping.sms;
  if (sms === undefined) return;
  void app.register((scope, _options, done) => {
    // Form bodies only inside this scope: the rest of the API stays JSON.
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 64 * 1024 },
      (_request, body, parsed) => {
        parsed(null, body);
      },
    );
    scope.post(
      "/v1/sms/twilio",
      {
        schema: {
          summary: "Twilio inbound SMS webhook: START, STOP, STATUS, HELP (replies in TwiML)",
          tags: ["jobs"],
          consumes: ["application/x-www-form-urlencoded"],
          headers: jsonSchema(z.looseObject({ "x-twilio-signature": z.string().optional() })),
        },
      },
      async (request, reply) => {
        const raw = typeof request.body === "string" ? request.body : "";
        const params = parseFormBody(raw);
        const url = sms.webhookUrl ?? `${request.protocol}://${request.host}${request.url}`;
        const header = request.headers["x-twilio-signature"];
        const presented = Array.isArray(header) ? header[0] : header;
        if (!isValidTwilioSignature(sms.authToken, url, params, presented)) {
          request.log.warn(
            { url },
            "SMS webhook with a missing or wrong X-Twilio-Signature refused",
          );
          return sendProblem(reply, {
            type: `${PROBLEM_BASE}twilio_signature_invalid`,
            title: "Forbidden",
            status: 403,
            detail:
              presented === undefined
                ? "X-Twilio-Signature is missing"
                : "X-Twilio-Signature does not match this URL and body",
            reason: "twilio_signature_invalid",
          });
        }
        const fields = inboundSmsSchema.safeParse(
          Object.fromEntries([...params].map(([name, values]) => [name, values[0]])),
        );
        if (!fields.success)
          return sendProblem(reply, {
            type: `${PROBLEM_BASE}sms_malformed`,
            title: "Bad Request",
            status: 400,
            detail: `missing ${fields.error.issues[0]?.path.join(".") ?? "field"}`,
            reason: "sms_malformed",
          });
        const { MessageSid, From, Body } = fields.data;
        const db = stamping.jobs.db;
        const seen = db
          .prepare("SELECT reply FROM sms_messages WHERE message_sid = ?")
          .get(MessageSid) as { reply: string } | undefined;
        let text = seen?.reply;
        if (text === undefined) {
          const receivedAtMs = Date.now();
          const outcome = await handleSms({
            from: From,
            body: Body,
            phones: sms.phones,
            service: stamping.service,
            receivedAtMs,
          });
          text = outcome.reply;
          db.prepare(
            "INSERT OR IGNORE INTO sms_messages (message_sid, from_number, body, reply, stamp_ref, received_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
          ).run(
            MessageSid,
            From,
            Body.slice(0, 1600),
            text,
            outcome.stampRef ?? null,
            receivedAtMs,
          );
        }
        return reply.code(200).type("text/xml; charset=utf-8").send(twimlMessage(text));
      },
    );
    done();
  });
}
