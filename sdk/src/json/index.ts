export { assertJsonValue } from "./assertJsonValue.ts";
export type { AssertJsonValueErrorType, JsonObject, JsonValue } from "./assertJsonValue.ts";
export { canonicalizeJson } from "./canonicalizeJson.ts";
export type { CanonicalizeJsonErrorType } from "./canonicalizeJson.ts";
export { canonicalJsonBytes } from "./canonicalJsonBytes.ts";
export type { CanonicalJsonBytesErrorType } from "./canonicalJsonBytes.ts";
