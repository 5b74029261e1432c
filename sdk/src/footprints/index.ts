export {
  FOOTPRINT_DOCUMENT_FORMAT,
  FOOTPRINT_ROUNDING,
  footprintDocumentSchema,
} from "./footprintDocumentSchema.ts";
export type {
  FootprintAmountsJson,
  FootprintContainer,
  FootprintDocument,
} from "./footprintDocumentSchema.ts";
export { buildFootprintDocument } from "./buildFootprintDocument.ts";
export type {
  BuildFootprintDocumentErrorType,
  BuildFootprintDocumentParameters,
  BuildFootprintDocumentReturnType,
  FootprintChannelInput,
  FootprintJobInput,
} from "./buildFootprintDocument.ts";
export { footprintInputsFromDocument } from "./footprintInputsFromDocument.ts";
export { selectFootprintReadings } from "./selectFootprintReadings.ts";
export type {
  AnchoredContainerInput,
  SelectFootprintReadingsErrorType,
  SelectFootprintReadingsParameters,
  SelectFootprintReadingsReturnType,
} from "./selectFootprintReadings.ts";
export { verifyFootprintDocument } from "./verifyFootprintDocument.ts";
export type {
  ContainerFacts,
  FootprintCheck,
  FootprintCheckId,
  JobFacts,
  LotFacts,
  VerifyFootprintDocumentParameters,
  VerifyFootprintDocumentReturnType,
} from "./verifyFootprintDocument.ts";
export { readSiteJobs } from "./readSiteJobs.ts";
export type { ReadSiteJobsParameters, SiteJob } from "./readSiteJobs.ts";
export { readSiteDevices } from "./readSiteDevices.ts";
export type { ReadSiteDevicesParameters } from "./readSiteDevices.ts";
export { scopeJobsOf } from "./scopeJobsOf.ts";
