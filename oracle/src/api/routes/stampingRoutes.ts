import type { FastifyInstance } from "fastify";
import type { StampingServices } from "../../jobs/startStampingServices.ts";
import { jobsRoutes } from "./jobsRoutes.ts";
import { smsRoutes } from "./smsRoutes.ts";
import { stampsRoutes } from "./stampsRoutes.ts";

/** Every stamping channel of the gateway: the jobs API, relays, and (when configured) SMS. */
export function stampingRoutes(app: FastifyInstance, stamping: StampingServices): void {
  jobsRoutes(app, stamping);
  stampsRoutes(app, stamping);
  smsRoutes(app, stamping);
}
