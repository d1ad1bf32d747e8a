import { describe } from "vitest";
import { startHarness } from "../api/support/harness.ts";
import { securityCases } from "./security.cases.ts";

describe("security on the embedded default (SQLite + embedded search on its worker thread)", () => {
  securityCases((env, now) => startHarness(env, { now }));
});
