import { z } from "zod";
import {
  pactDateTimeSchema,
  pactUrnSchema,
  productFootprintSchema,
} from "@energy-intelligence/sdk/pact/index";

/** The event types a PACT v3 host must handle on `POST /3/events`. */
export const PACT_EVENT_TYPES = {
  requestCreated: "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1",
  requestFulfilled: "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1",
  requestRejected: "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1",
  published: "org.wbcsd.pathfinder.ProductFootprint.Published.v1",
} as const;

const base = {
  specversion: z.literal("1.0"),
  id: z.string().min(1),
  source: z.string().min(1),
  time: pactDateTimeSchema,
};
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/** The filter criteria shared by ListFootprints and the request-created event. */
export const pactCriteriaSchema = z.object({
  productId: nonEmpty(pactUrnSchema).optional(),
  companyId: nonEmpty(pactUrnSchema).optional(),
  geography: nonEmpty(z.string().min(1)).optional(),
  classification: nonEmpty(pactUrnSchema).optional(),
  validOn: pactDateTimeSchema.optional(),
  validAfter: pactDateTimeSchema.optional(),
  validBefore: pactDateTimeSchema.optional(),
  status: z.enum(["Active", "Deprecated"]).optional(),
});
export type PactCriteria = z.infer<typeof pactCriteriaSchema>;

/** A CloudEvent in structured JSON mode, one of the four PACT v3 events. */
export const pactEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal(PACT_EVENT_TYPES.requestCreated),
    data: pactCriteriaSchema.extend({ comment: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal(PACT_EVENT_TYPES.requestFulfilled),
    data: z.object({ requestEventId: z.string().min(1), pfs: z.array(productFootprintSchema) }),
  }),
  z.object({
    ...base,
    type: z.literal(PACT_EVENT_TYPES.requestRejected),
    data: z.object({
      requestEventId: z.string().min(1),
      error: z.object({ code: z.string().min(1), message: z.string() }),
    }),
  }),
  z.object({
    ...base,
    type: z.literal(PACT_EVENT_TYPES.published),
    data: z.object({ pfIds: nonEmpty(z.uuid()) }),
  }),
]);
export type PactEvent = z.infer<typeof pactEventSchema>;
