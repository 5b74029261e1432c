export * from "./certificateKey.ts";
export * from "./registerCertificate.ts";
export * from "./claimCertificate.ts";
export * from "./readCertificateClaims.ts";
export * from "./claimedElsewhere.ts";
