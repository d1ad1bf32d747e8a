import { describe } from "vitest";
import { runNvgaCases } from "./nvga.cases.ts";

describe("NVGA File Polis through the API (embedded store)", () => {
  runNvgaCases(1500);
});
