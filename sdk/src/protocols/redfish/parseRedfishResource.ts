import type { z } from "zod";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";

/**
 * Parses a Redfish response body (text or already-parsed JSON) against one
 * of the schemas in redfishSchemas.ts. Both a body that is not JSON and
 * JSON of the wrong shape are `malformed-json`, with the resource URI and
 * field path, so a PDU firmware that breaks one resource is reported by
 * where it broke.
 *
 * @throws {ProtocolFrameError} malformed-json.
 * @example
 * ```ts
 * const pdu = parseRedfishResource(redfishPowerDistributionSchema, await response.text(), uri);
 * ```
 */
export function parseRedfishResource<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  uri: string,
): z.output<Schema> {
  let json: unknown = body;
  if (typeof body === "string") {
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ProtocolFrameError("redfish", "malformed-json", uri, "body is not JSON", {
        cause: error,
      });
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProtocolFrameError(
    "redfish",
    "malformed-json",
    issue === undefined || issue.path.length === 0 ? uri : `${uri}#${issue.path.join(".")}`,
    issue?.message ?? "unexpected shape",
  );
}
