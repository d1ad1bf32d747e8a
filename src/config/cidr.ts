import ipaddr from "ipaddr.js";

/** One network: an address and its prefix length (`10.0.0.0/8`, `2001:db8::/32`; a bare address is one host). */
export interface Cidr {
  /** The range as written, normalised (`10.0.0.0/8`). */
  text: string;
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

/**
 * Parses a comma-separated list of CIDR ranges and single addresses (IPv4 and IPv6); throws an Error
 * naming the first entry that is neither. An empty text is an empty list.
 */
export function parseCidrList(text: string): Cidr[] {
  const entries = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return entries.map((entry) => {
    let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
    // IPv4 only in its four-part dotted form: `10.0.0` or `167772161` are legal to inet_aton but a typo here.
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) || ipaddr.IPv6.isValidCIDR(entry)) {
      range = ipaddr.parseCIDR(entry);
    } else if (ipaddr.IPv4.isValidFourPartDecimal(entry) || ipaddr.IPv6.isValid(entry)) {
      const address = ipaddr.parse(entry);
      range = [address, address.kind() === "ipv4" ? 32 : 128];
    } else {
      throw new Error(`${JSON.stringify(entry)} is not a CIDR range or IP address`);
    }
    // An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) means the IPv4 range it maps.
    const [address, bits] = range;
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      range = [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return { text: `${range[0].toString()}/${range[1]}`, range };
  });
}

/** Reads a client address as Node reports it; IPv4-mapped IPv6 (`::ffff:10.1.2.3`) becomes IPv4. */
export function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  // A zone index (`fe80::1%eth0`) names the interface, not the host.
  const bare = address.replace(/%.*$/, "");
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/** True when `address` lies in one of the ranges; an address that does not parse lies in none. */
export function inCidrList(list: readonly Cidr[], address: string | undefined): boolean {
  if (address === undefined) return false;
  const parsed = parseAddress(address);
  if (!parsed) return false;
  return list.some(({ range }) => range[0].kind() === parsed.kind() && parsed.match(range));
}
