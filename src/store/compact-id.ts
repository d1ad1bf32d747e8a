const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A customer id as the identity-key table stores it: a lowercase UUID (every id the intake makes) as
 * its 16 bytes instead of 36 characters, so more keys fit a page; any other id as itself.
 */
export function compactId(id: string): string | Uint8Array {
  return UUID.test(id) ? Buffer.from(id.replaceAll("-", ""), "hex") : id;
}

/** The customer id a `compactId` value stands for. */
export function expandId(value: string | Uint8Array): string {
  if (typeof value === "string") return value;
  const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
