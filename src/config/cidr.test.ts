import { describe, expect, it } from "vitest";
import { inCidrList, parseCidrList } from "./cidr.ts";

describe("CIDR lists", () => {
  const list = parseCidrList("10.0.0.0/8, 192.168.1.7, 2001:db8::/32, ::1");
  it.each([
    ["10.1.2.3", true],
    ["11.0.0.1", false],
    ["192.168.1.7", true],
    ["192.168.1.8", false],
    ["::ffff:10.200.0.1", true],
    ["2001:db8:1::5", true],
    ["2001:db9::5", false],
    ["::1", true],
    ["fe80::1%eth0", false],
    ["not an address", false],
  ])("%s in the list: %s", (address, expected) => {
    expect(inCidrList(list, address)).toBe(expected);
  });

  it("an IPv4-mapped IPv6 range means the IPv4 range", () => {
    expect(inCidrList(parseCidrList("::ffff:10.0.0.0/104"), "10.9.9.9")).toBe(true);
  });

  it("empty text is an empty list, which holds nothing", () => {
    expect(parseCidrList(" , ")).toEqual([]);
    expect(inCidrList([], "10.0.0.1")).toBe(false);
  });

  it.each(["10.0.0.0/33", "10.0.0", "example.org", "2001:db8::/129"])("%s is refused by name", (bad) => {
    expect(() => parseCidrList(`10.0.0.0/8,${bad}`)).toThrow(JSON.stringify(bad));
  });
});
