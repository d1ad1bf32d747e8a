import { describe } from "vitest";
import { runScenariosThroughApi } from "./run-through-api.ts";

describe("coverage scenarios through the API [sqlite]", () => {
  runScenariosThroughApi();
});
