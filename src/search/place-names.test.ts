import { describe, expect, it } from "vitest";
import { PlaceNames } from "./place-names.ts";

// Cities as search documents hold them (folded), spelt the ways partners deliver them.
const places = new PlaceNames([
  "'s-gravenhage",
  "den haag",
  "s-gravenhage",
  "'s-hertogenbosch",
  "ijsselstein",
  "amsterdam",
  "amstelveen",
  "assen",
  "rotterdam",
  "ede",
]);

describe("PlaceNames: the places of the data in every common form", () => {
  it.each([
    ["'s-Gravenhage", "sgravenhage"],
    ["s Gravenhage", "sgravenhage"],
    ["Den Haag", "sgravenhage"],
    ["Den Bosch", "shertogenbosch"],
    ["'s-Hertogenbosch", "shertogenbosch"],
    ["Ijsselstein", "ijsselstein"],
    ["IJSSELSTEIN", "ijsselstein"],
    ["Ede", "ede"],
  ])("knows %s as %s", (typed, key) => expect(places.find(typed)?.key).toBe(key));

  it("answers every spelling the data holds, so one clause finds them all", () => {
    expect(places.find("Den Haag")?.values.sort()).toEqual(["'s-gravenhage", "den haag", "s-gravenhage"]);
  });

  it("does not know places the data does not hold, nor other names of them", () => {
    expect(places.find("Utrecht")).toBeUndefined();
    expect(places.find("Alphen a/d Rijn")).toBeUndefined();
    expect(places.size).toBe(8);
  });

  it("forgives one typing error past the first letter in a longer name, when one place is that close", () => {
    expect(places.findLoose("Amsterdm")).toMatchObject({ key: "amsterdam", typo: true });
    expect(places.findLoose("Roterdam")).toMatchObject({ key: "rotterdam", typo: true });
    expect(places.findLoose("Den Haga")).toMatchObject({ key: "sgravenhage", typo: true });
    expect(places.findLoose("Amstelvean")?.key).toBe("amstelveen");
  });

  it("knows the places a name being typed starts, by any of its names and notations", () => {
    expect(places.startingWith("am").sort()).toEqual(["amstelveen", "amsterdam"]);
    expect(places.startingWith("den h")).toEqual(["sgravenhage"]);
    expect(places.startingWith("Den B")).toEqual(["shertogenbosch"]);
    expect(places.startingWith("'s-g")).toEqual(["sgravenhage"]);
    expect(places.startingWith("'").sort()).toEqual(["sgravenhage", "shertogenbosch"]);
    expect(places.startingWith("x")).toEqual([]);
    expect(places.startingWith("-")).toEqual([]);
  });

  it("does not take a short word, a first-letter slip or an even choice for a mistyped place", () => {
    expect(places.findLoose("Essen")).toBeUndefined();
    expect(places.findLoose("Edde")).toBeUndefined();
    expect(places.findLoose("Bmsterdam")).toBeUndefined();
    expect(places.findLoose("Jansen")).toBeUndefined();
  });
});
