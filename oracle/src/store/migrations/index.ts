import type { Migration } from "../migration.ts";
import { migration0001Devices } from "./0001-devices.ts";
import { migration0002Readings } from "./0002-readings.ts";
import { migration0003ContainersAnchoring } from "./0003-containers-anchoring.ts";
import { migration0004DeviceSecp256k1Chain } from "./0004-device-secp256k1-chain.ts";
import { migration0005ProductLots } from "./0005-product-lots.ts";
import { migration0006JobStamps } from "./0006-job-stamps.ts";
import { migration0007ApiKeysSms } from "./0007-api-keys-sms.ts";
import { migration0008PactExchange } from "./0008-pact-exchange.ts";
import { migration0009SupplierFootprints } from "./0009-supplier-footprints.ts";
import { migration0010CertificateClaims } from "./0010-certificate-claims.ts";
import { migration0011CertificateUseLedger } from "./0011-certificate-use-ledger.ts";

/**
 * Every schema migration, in order. Later stages (containers, anchoring) add
 * theirs at the end: a new file `NNNN-name.ts` and one line here. Never edit a
 * migration that has shipped; add one that changes it.
 */
export const migrations: readonly Migration[] = [
  migration0001Devices,
  migration0002Readings,
  migration0003ContainersAnchoring,
  migration0004DeviceSecp256k1Chain,
  migration0005ProductLots,
  migration0006JobStamps,
  migration0007ApiKeysSms,
  migration0008PactExchange,
  migration0009SupplierFootprints,
  migration0010CertificateClaims,
  migration0011CertificateUseLedger,
];
