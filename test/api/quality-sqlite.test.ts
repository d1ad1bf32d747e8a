import { describe } from "vitest";
import { runQualityCases } from "./quality.cases.ts";

describe("partner quality report (embedded store)", () => {
  runQualityCases();
});
