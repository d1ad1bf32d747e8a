import { describe, expect, it } from "vitest";
import { PlaceNames } from "./place-names.ts";
import { parseQuery } from "./query-parse.ts";

const TODAY = new Date(Date.UTC(2026, 10, 25));
const places = new PlaceNames([
  "'s-gravenhage",
  "'s-hertogenbosch",
  "ijsselstein",
  "amsterdam",
  "deventer",
  "vries",
]);
const q = (text: string) => parseQuery({ q: text, limit: 10 }, TODAY, places);

describe("parseQuery with the data's place names: the city in the box", () => {
  it.each([
    ["Hendrik Timmerm 's-Gravenhage", ["hendrik", "timmerm"], "sgravenhage"],
    ["Hendrik Timmerm Den Haag", ["hendrik", "timmerm"], "sgravenhage"],
    ["Den Haag Hendrik Timmerm", ["hendrik", "timmerm"], "sgravenhage"],
    ["hendrik timmerm s gravenhage", ["hendrik", "timmerm"], "sgravenhage"],
    ["Joost Posstma Den Bosch", ["joost", "posstma"], "shertogenbosch"],
    ["Anna Smit Ijsselstein", ["anna", "smit"], "ijsselstein"],
    ["Anna Smit Amsterdm", ["anna", "smit", "amsterdm"], "amsterdam"],
  ])("%s: names %j in %s", (text, names, key) => {
    const parsed = q(text);
    expect(parsed.names).toEqual(names);
    expect(parsed.place?.key).toBe(key);
  });

  it("takes the name before a city typed last as possibly cut short", () => {
    expect(q("Hendrik Timmerm Den Haag").prefix).toBe("timmerm");
    expect(q("Den Haag Hendrik Timmerm").prefix).toBe("timmerm");
  });

  it("marks a place found through a typing error as such", () => {
    expect(q("Anna Smit Amsterdm").place?.typo).toBe(true);
    expect(q("Anna Smit Amsterdam").place?.typo).toBe(false);
  });

  it("takes a mistyped place only at the end of the box, and keeps its words as names too", () => {
    expect(q("Anna Smit Amsterdm").prefix).toBe("smit");
    expect(q("Amsterdm Anna Smit").place).toBeUndefined();
    expect(q("Deventr, van 04-12-1979").place).toBeUndefined();
  });

  it("reads a place name after a tussenvoegsel as a surname", () => {
    expect(q("Jan van Deventer").place).toBeUndefined();
    expect(q("Jan van Deventer").names).toEqual(["jan", "deventer"]);
    expect(q("Anna de Vries Amsterdam")).toMatchObject({ names: ["anna", "vries"], tussenvoegsel: "de" });
    expect(q("Anna de Vries Amsterdam").place?.key).toBe("amsterdam");
  });

  it("keeps the words of a place typed alone as names too, so the answer stays bounded either way", () => {
    expect(q("Amsterdam")).toMatchObject({ names: ["amsterdam"], city: ["amsterdam"] });
  });

  it("leaves an unknown city as name words", () => {
    expect(q("Jansen Xyzstad")).toMatchObject({ names: ["jansen", "xyzstad"], city: [] });
    expect(q("Jansen Xyzstad").place).toBeUndefined();
  });

  it("reads the structured city field in any notation too", () => {
    expect(parseQuery({ name: "Jansen", city: "Den Haag", limit: 10 }, TODAY, places).place?.key).toBe(
      "sgravenhage",
    );
  });

  it("reads a street-like word as the street, with the house number and city", () => {
    expect(q("Kerkstraat 12 Amsterdam")).toMatchObject({
      names: [],
      street: ["kerkstraat"],
      houseNumber: { number: 12 },
      city: ["amsterdam"],
    });
  });
});
