/**
 * Decodes standard base64 to bytes with the platform's `atob` (browsers and
 * Node ≥ 16 both have it), keeping the sdk free of node:buffer.
 *
 * @throws {DOMException} InvalidCharacterError on text that is not base64.
 * @example
 * ```ts
 * decodeBase64("AQID"); // Uint8Array [1, 2, 3]
 * ```
 */
export function decodeBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
