// AuditAttestations: every verdict an auditor records, linked to its container or lot.
import { Attested } from "../../generated/AuditAttestations/AuditAttestations";
import { Attestation } from "../../generated/schema";
import { eventId } from "./helpers";

const SUBJECT_CONTAINER: i32 = 1;
const SUBJECT_LOT: i32 = 2;

export function handleAttested(event: Attested): void {
  const p = event.params;
  const attestation = new Attestation(eventId(event));
  attestation.subjectKind = p.subjectKind;
  attestation.subjectId = p.subjectId;
  attestation.container = p.subjectKind == SUBJECT_CONTAINER ? p.subjectId.toString() : null;
  attestation.lot = p.subjectKind == SUBJECT_LOT ? p.subjectId.toString() : null;
  attestation.auditor = p.auditor;
  attestation.verdict = p.verdict;
  attestation.reportCid = p.reportCid;
  attestation.blockNumber = event.block.number;
  attestation.blockTimestamp = event.block.timestamp;
  attestation.transactionHash = event.transaction.hash;
  attestation.save();
}
