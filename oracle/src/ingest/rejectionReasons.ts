/**
 * Why a message was refused, with the HTTP status the API answers. MQTT has no
 * negative acknowledgement in 3.1.1: the broker acknowledges the publish (so the
 * device does not resend it forever), logs and counts the reason, and nothing
 * is stored. docs/formats.md lists these codes.
 */
export const REJECTION_REASONS = {
  message_too_large: { status: 413, title: "Message too large" },
  malformed_json: { status: 400, title: "Malformed JSON" },
  invalid_message: { status: 400, title: "Invalid device message" },
  missing_signature: { status: 401, title: "Missing signature" },
  topic_mismatch: { status: 400, title: "Topic does not match the message" },
  unknown_device: { status: 403, title: "Unknown device" },
  revoked_device: { status: 403, title: "Revoked device" },
  wrong_auth_scheme: { status: 401, title: "Wrong authentication scheme for this device" },
  bad_signature: { status: 401, title: "Bad signature" },
  unknown_channel: { status: 422, title: "Channel not registered for this device" },
  sequence_not_increasing: { status: 400, title: "Sequences within a message must increase" },
  timestamp_in_future: { status: 422, title: "Timestamp too far in the future" },
  replayed_sequence: { status: 409, title: "Sequence already used for a different reading" },
  counter_backwards: { status: 409, title: "Energy counter went backwards" },
  overloaded: { status: 503, title: "Ingest queue full, retry later" },
  shutting_down: { status: 503, title: "Gateway shutting down" },
  store_unavailable: { status: 503, title: "Store unavailable" },
} as const;

export type RejectionReason = keyof typeof REJECTION_REASONS;
