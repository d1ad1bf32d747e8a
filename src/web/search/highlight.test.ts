import { describe, expect, it } from "vitest";
import { highlightSegments, matchedFields } from "./highlight.ts";

describe("highlighting the matched parts", () => {
  it("marks the surname inside the display name, whatever its case", () => {
    expect(highlightSegments("J.P. van der Berg", ["van der berg", "berg"])).toEqual([
      { text: "J.P. ", mark: false },
      { text: "van der Berg", mark: true },
    ]);
  });

  it("leaves text without a matched part whole and unmarked", () => {
    expect(highlightSegments("Amsterdam", [undefined, ""])).toEqual([{ text: "Amsterdam", mark: false }]);
  });

  it("keeps one kind per field, the first the answer names", () => {
    const m = matchedFields([
      { field: "surname", kind: "typo" },
      { field: "postcode", kind: "exact" },
      { field: "surname", kind: "phonetic" },
    ]);
    expect(m.get("surname")).toBe("typo");
    expect(m.get("postcode")).toBe("exact");
  });
});
