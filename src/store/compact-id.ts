const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Value of a lowercase hex digit's char code (the UUID test above admits no others). */
const nibble = (c: number) => (c <= 57 ? c - 48 : c - 87);

/**
 * A customer id as the identity-key table stores it: a lowercase UUID (every id the intake makes) as
 * its 16 bytes instead of 36 characters, so more keys fit a page; any other id as itself.
 */
export function compactId(id: string): string | Uint8Array {
  if (!UUID.test(id)) return id;
  // Byte by byte: through `replaceAll` and `Buffer.from(hex)` it cost ~1 µs an id, paid for every
  // identity key a delivery writes.
  const out = new Uint8Array(16);
  for (let i = 0, at = 0; i < 16; i++, at += 2) {
    if (at === 8 || at === 13 || at === 18 || at === 23) at++;
    out[i] = (nibble(id.charCodeAt(at)) << 4) | nibble(id.charCodeAt(at + 1));
  }
  return out;
}

/** The customer id a `compactId` value stands for. */
export function expandId(value: string | Uint8Array): string {
  if (typeof value === "string") return value;
  const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
