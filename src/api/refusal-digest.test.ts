import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import type { Auditor } from "./audit.ts";
import { createRefusalDigest, type RefusalEntry } from "./refusal-digest.ts";

const entry = (subject: string): RefusalEntry => ({
  subject,
  roles: [],
  endpoint: "POST /v1/search",
  fields: [],
  customerIds: [],
  outcome: "rate_limited",
  status: 429,
});

function recording() {
  const records: Array<Parameters<Auditor["record"]>[0]> = [];
  const auditor: Auditor = {
    async record(r) {
      records.push(r);
    },
  };
  return { records, auditor };
}

describe("refusal digest", () => {
  it("a burst of 800 refusals is one record with its count", async () => {
    const { records, auditor } = recording();
    const digest = createRefusalDigest(auditor, createLogger("silent"), { now: () => 0 });
    for (let i = 0; i < 800; i++) digest.refuse("addr:10.0.0.1", entry("anonymous"));
    expect(records).toHaveLength(0);
    await digest.flush();
    expect(records).toEqual([{ ...entry("anonymous"), count: 800 }]);
    await digest.flush();
    expect(records).toHaveLength(1);
  });

  it("keys have bursts of their own, and a refusal after the burst's time opens a new one", async () => {
    const { records, auditor } = recording();
    let t = 0;
    const digest = createRefusalDigest(auditor, createLogger("silent"), { now: () => t, burstMs: 60_000 });
    digest.refuse("sub:a", entry("a"));
    digest.refuse("sub:b", entry("b"));
    digest.refuse("sub:a", entry("a"));
    t = 60_000;
    digest.refuse("sub:a", entry("a"));
    await new Promise((r) => setImmediate(r));
    expect(records).toEqual([{ ...entry("a"), count: 2 }]);
    await digest.flush();
    expect(records.map((r) => [r.subject, r.count])).toEqual([
      ["a", 2],
      ["b", 1],
      ["a", 1],
    ]);
  });
});
