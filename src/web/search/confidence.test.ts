import { describe, expect, it } from "vitest";
import { confidenceWords } from "./confidence.ts";

describe("confidence in words", () => {
  it.each([
    [0.99, "Vrijwel zeker deze klant"],
    [0.9, "Vrijwel zeker deze klant"],
    [0.75, "Waarschijnlijk"],
    [0.5, "Mogelijk: controleer een tweede gegeven"],
    [0.1, "Onzeker: vraag meer gegevens"],
  ])("%s reads %s", (c, words) => {
    expect(confidenceWords(c).label).toBe(words);
  });
});
