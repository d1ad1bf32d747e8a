import { describe, expect, it } from "vitest";
import { mongoDatabaseOf } from "./create-store.ts";

describe("the database a MongoDB URL names", () => {
  it.each([
    ["mongodb://mongodb:27017/klantherkenning?replicaSet=rs0", "klantherkenning"],
    ["mongodb://a:1,b:2,c:3/kh_prod?replicaSet=rs0&w=majority", "kh_prod"],
    ["mongodb+srv://user:pw@cluster.example/kh", "kh"],
    ["mongodb://127.0.0.1:27030/", undefined],
    ["mongodb://127.0.0.1:27030", undefined],
    ["mongodb://127.0.0.1:27030/?directConnection=true", undefined],
  ])("%s → %s", (url, name) => {
    expect(mongoDatabaseOf(url)).toBe(name);
  });
});
