import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Just enough BER and USM (RFC 3412, RFC 3414) for the SNMP simulator to do
 * what a real agent does with a request whose HMAC is wrong: answer with a
 * Report PDU carrying `usmStatsWrongDigests.0` (RFC 3414 §3.2 step 6, sent
 * because the request is reportable), which net-snmp's agent does not do (it
 * drops the request, so a client sees only a timeout). A request with the
 * right auth key but a wrong privacy key passes this check and is dropped by
 * the agent, as Net-SNMP's snmpd drops an undecodable scoped PDU.
 */

const USM_STATS_WRONG_DIGESTS = "1.3.6.1.6.3.15.1.1.5.0";
const USM_SECURITY_MODEL = 3;
const HMAC_BUFFER_BYTES = 1_048_576;

interface Tlv {
  tag: number;
  /** Offset of the value's first byte in the whole message. */
  start: number;
  end: number;
}

function readTlv(buffer: Buffer, offset: number): Tlv {
  const tag = buffer[offset];
  let lengthByte = buffer[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new RangeError("truncated BER");
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new RangeError("unsupported BER length");
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = buffer[start + i];
      if (lengthByte === undefined) throw new RangeError("truncated BER");
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  if (start + length > buffer.length) throw new RangeError("truncated BER");
  return { tag, start, end: start + length };
}

/** The children of a constructed value. */
function children(buffer: Buffer, parent: Tlv): Tlv[] {
  const list: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end;) {
    const child = readTlv(buffer, offset);
    list.push(child);
    offset = child.end;
  }
  return list;
}

function integer(buffer: Buffer, tlv: Tlv | undefined): number {
  if (tlv?.tag !== 0x02) throw new RangeError("expected an INTEGER");
  let value = 0;
  for (let i = tlv.start; i < tlv.end; i++) value = value * 256 + (buffer[i] ?? 0);
  return value;
}

function octets(buffer: Buffer, tlv: Tlv | undefined): Buffer {
  if (tlv?.tag !== 0x04) throw new RangeError("expected an OCTET STRING");
  return buffer.subarray(tlv.start, tlv.end);
}

function encode(tag: number, value: Buffer): Buffer {
  const length = value.length;
  const header =
    length < 0x80
      ? Buffer.from([tag, length])
      : length < 0x100
        ? Buffer.from([tag, 0x81, length])
        : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([header, value]);
}

function encodeUnsigned(tag: number, value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0); // keep it positive
  return encode(tag, Buffer.from(bytes));
}

function encodeOid(oid: string): Buffer {
  const parts = oid.split(".").map(Number);
  const bytes: number[] = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const group: number[] = [part & 0x7f];
    for (let rest = part >> 7; rest > 0; rest >>= 7) group.unshift((rest & 0x7f) | 0x80);
    bytes.push(...group);
  }
  return encode(0x06, Buffer.from(bytes));
}

const sequence = (...parts: Buffer[]): Buffer => encode(0x30, Buffer.concat(parts));

/** What the simulator reads of an SNMPv3 request's header (none of it is encrypted). */
export interface UsmRequestHeader {
  msgId: number;
  flags: number;
  engineId: Buffer;
  engineBoots: number;
  engineTime: number;
  userName: string;
  authParameters: Buffer;
  /** Where msgAuthenticationParameters sits in the message (zeroed to compute the HMAC). */
  authParametersOffset: number;
}

/** The USM header of an SNMPv3 message, or undefined for v1/v2c or anything unparsable. */
export function readUsmRequestHeader(message: Buffer): UsmRequestHeader | undefined {
  try {
    const [version, globalData, securityParameters] = children(message, readTlv(message, 0));
    if (integer(message, version) !== 3 || globalData === undefined) return undefined;
    const [msgId, , flags, securityModel] = children(message, globalData);
    if (integer(message, securityModel) !== USM_SECURITY_MODEL) return undefined;
    if (securityParameters?.tag !== 0x04) return undefined;
    const usm = children(message, readTlv(message, securityParameters.start));
    const authParameters = usm[4];
    if (authParameters?.tag !== 0x04) return undefined;
    return {
      msgId: integer(message, msgId),
      flags: octets(message, flags)[0] ?? 0,
      engineId: octets(message, usm[0]),
      engineBoots: integer(message, usm[1]),
      engineTime: integer(message, usm[2]),
      userName: octets(message, usm[3]).toString("utf8"),
      authParameters: octets(message, authParameters),
      authParametersOffset: authParameters.start,
    };
  } catch {
    return undefined;
  }
}

const localizedKeys = new Map<string, Buffer>();

/**
 * RFC 3414 A.2 password-to-key (a megabyte of hashing) localised to the
 * engine. Cached per password and engine: computing it per request is what
 * makes a naive USM implementation slow.
 */
export function localizedAuthKey(
  hash: "sha1" | "sha256",
  password: string,
  engineId: Buffer,
): Buffer {
  const cacheKey = `${hash}\u0000${password}\u0000${engineId.toString("hex")}`;
  const cached = localizedKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const expanded = Buffer.alloc(HMAC_BUFFER_BYTES, password);
  const ku = createHash(hash).update(expanded).digest();
  const kul = createHash(hash).update(ku).update(engineId).update(ku).digest();
  localizedKeys.set(cacheKey, kul);
  return kul;
}

/** Whether an authenticated request's HMAC (HMAC-SHA-96 or HMAC-SHA-256-192) matches `key`. */
export function hasValidDigest(
  message: Buffer,
  header: UsmRequestHeader,
  hash: "sha1" | "sha256",
  key: Buffer,
): boolean {
  const zeroed = Buffer.from(message);
  zeroed.fill(
    0,
    header.authParametersOffset,
    header.authParametersOffset + header.authParameters.length,
  );
  const digest = createHmac(hash, key)
    .update(zeroed)
    .digest()
    .subarray(0, header.authParameters.length);
  return (
    digest.length === header.authParameters.length &&
    header.authParameters.length > 0 &&
    timingSafeEqual(digest, header.authParameters)
  );
}

/** The unauthenticated Report PDU (usmStatsWrongDigests) answering `header`'s request. */
export function wrongDigestReport(header: UsmRequestHeader, count: number): Buffer {
  const usm = sequence(
    encode(0x04, header.engineId),
    encodeUnsigned(0x02, header.engineBoots),
    encodeUnsigned(0x02, header.engineTime),
    encode(0x04, Buffer.from(header.userName, "utf8")),
    encode(0x04, Buffer.alloc(0)),
    encode(0x04, Buffer.alloc(0)),
  );
  const varbind = sequence(encodeOid(USM_STATS_WRONG_DIGESTS), encodeUnsigned(0x41, count));
  // The request-id is inside the encrypted PDU, which the agent cannot read: 0.
  const report = encode(
    0xa8,
    Buffer.concat([
      encodeUnsigned(0x02, 0),
      encodeUnsigned(0x02, 0),
      encodeUnsigned(0x02, 0),
      sequence(varbind),
    ]),
  );
  return sequence(
    encodeUnsigned(0x02, 3),
    sequence(
      encodeUnsigned(0x02, header.msgId),
      encodeUnsigned(0x02, 65_507),
      encode(0x04, Buffer.from([0])), // noAuthNoPriv, not reportable
      encodeUnsigned(0x02, USM_SECURITY_MODEL),
    ),
    encode(0x04, usm),
    sequence(encode(0x04, header.engineId), encode(0x04, Buffer.alloc(0)), report),
  );
}
