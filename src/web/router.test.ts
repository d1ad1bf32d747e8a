import { describe, expect, it } from "vitest";
import { hashOf, parseHash } from "./router.ts";

describe("routes", () => {
  it("takes a caller's number out of the route, so the URL can drop it", () => {
    expect(parseHash("#/beller/%2B31%206%2012345678")).toEqual({
      route: { screen: "caller" },
      phone: "+31 6 12345678",
    });
    expect(parseHash("#/beller/0612345678").phone).toBe("0612345678");
    expect(hashOf({ screen: "caller" })).toBe("#/beller");
  });

  it("opens a card by its opaque id and falls back to search for anything else", () => {
    expect(parseHash("#/klant/c-01").route).toEqual({ screen: "customer", customerId: "c-01" });
    expect(parseHash("#/klant/<script>").route).toEqual({ screen: "search" });
    expect(parseHash("").route).toEqual({ screen: "search" });
    expect(parseHash("#/polis-doorgeven").route).toEqual({ screen: "phone-policy" });
  });
});
