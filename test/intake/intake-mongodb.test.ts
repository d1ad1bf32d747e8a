import { randomBytes } from "node:crypto";
import { afterAll, describe } from "vitest";
import { MongoStore } from "../../src/store/mongo-store.ts";
import { describeWithEngine } from "../support/engines.ts";
import { runIntakeCases } from "./intake.cases.ts";
import { runIntakeInstanceCases } from "./intake-instances.cases.ts";
import { runProvenanceCases } from "./provenance.cases.ts";
import { runPurgeCases } from "./purge.cases.ts";

describeWithEngine("mongodb", "delivery intake and retention", (url) => {
  const names: string[] = [];
  afterAll(async () => {
    for (const dbName of names) {
      const s = new MongoStore({ url, dbName });
      await s.init();
      await s.dropDatabase();
      await s.close();
    }
  });
  const newStore = async () => {
    const dbName = `kh_intake_${randomBytes(4).toString("hex")}`;
    names.push(dbName);
    return new MongoStore({ url, dbName });
  };
  describe("delivery intake", () => runIntakeCases({ newStore }));
  describe("retention purge", () => runPurgeCases({ newStore }));
  describe("provenance per source", () => runProvenanceCases({ newStore }));
  describe("several instances", () => runIntakeInstanceCases({ newStore }));
});
