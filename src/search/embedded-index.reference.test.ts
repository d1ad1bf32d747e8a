import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IndexedKeys } from "./embedded-doc-fields.ts";
import { autoFuzziness } from "./embedded-field-index.ts";
import { EmbeddedIndex } from "./embedded-index.ts";
import type { RetrievalClause, RetrievalQuery } from "./search-engine.ts";
import { editDistance } from "./similarity.ts";

// Short words over few letters, so that exact, prefix and typo matches between them are common.
const word = fc.string({ unit: fc.constantFrom(..."abd"), minLength: 1, maxLength: 5 });
const code = fc.string({ unit: fc.constantFrom(..."12"), minLength: 1, maxLength: 3 });

// Name-like fields (prefix and typo dictionaries) and exact-only fields (byte arena), array and string.
const docArb = fc.record({
  surnameParts: fc.array(word, { maxLength: 3 }),
  city: fc.option(word, { nil: undefined }),
  postcode: fc.option(code, { nil: undefined }),
  phones: fc.array(code, { maxLength: 2 }),
});
type DocKeys = { surnameParts: string[]; city?: string; postcode?: string; phones: string[] };

const clauseArb: fc.Arbitrary<RetrievalClause> = fc.oneof(
  fc.record({
    field: fc.constantFrom("surnameParts" as const, "city" as const),
    values: fc.array(fc.oneof(word, fc.constant("")), { minLength: 1, maxLength: 3 }),
    match: fc.constantFrom("exact" as const, "prefix" as const, "fuzzy" as const),
  }),
  fc.record({
    field: fc.constantFrom("postcode" as const, "phones" as const),
    values: fc.array(code, { minLength: 1, maxLength: 2 }),
    match: fc.constant("exact" as const),
  }),
);
const queryArb: fc.Arbitrary<RetrievalQuery> = fc.record({
  should: fc.array(clauseArb, { minLength: 1, maxLength: 4 }),
  must: fc.option(fc.array(clauseArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  size: fc.integer({ min: 1, max: 12 }),
});

// One operation on the index: add (or re-add, replacing) customer `n`, or remove it.
const opArb = fc.record({ n: fc.nat(40), remove: fc.boolean(), doc: docArb });

const WEIGHT = { exact: 3, prefix: 2, fuzzy: 1 } as const;

function matches(clause: RetrievalClause, doc: DocKeys): boolean {
  const held = doc[clause.field as keyof DocKeys];
  const terms = held === undefined ? [] : typeof held === "string" ? [held] : held;
  return clause.values.some(
    (v) =>
      v.length > 0 &&
      terms.some((t) => {
        if (clause.match === "exact") return t === v;
        if (clause.match === "prefix") return t.startsWith(v);
        const max = autoFuzziness(v.length);
        return editDistance(v, t, max) <= max;
      }),
  );
}

/** What retrieve must answer, worked out by scanning every document. */
function reference(docs: Map<string, DocKeys>, q: RetrievalQuery): string[] {
  const passing = [...docs].filter(([, d]) => (q.must ?? []).every((c) => matches(c, d)));
  if (q.should.length === 0) {
    if ((q.must ?? []).length === 0) return [];
    return passing
      .map(([id]) => id)
      .sort()
      .slice(0, q.size);
  }
  return passing
    .map(([id, d]) => ({
      id,
      score: q.should.reduce((s, c) => s + (matches(c, d) ? WEIGHT[c.match] : 0), 0),
    }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, q.size)
    .map((x) => x.id);
}

const keysOf = (customerId: string, d: DocKeys): IndexedKeys => ({
  customerId,
  firstNames: [],
  companyWords: [],
  phonetic: [],
  street: [],
  policyNumbers: [],
  ...d,
});

describe("EmbeddedIndex.retrieve agrees with a scan of every document", () => {
  // heavyPostings 1 summarises every clause (the path a common surname takes in a large index);
  // walkPerLookup 0 scores through the sorted lookup instead of the walk; maxSummaryDocs 2 leaves most
  // clause sets without a summary (remembered as too big).
  it.each([
    { summaries: "only for long lists", options: {} },
    { summaries: "for every clause, walked", options: { heavyPostings: 1 } },
    { summaries: "for every clause, looked up", options: { heavyPostings: 1, walkPerLookup: 0 } },
    { summaries: "for every clause, most too big to keep", options: { heavyPostings: 1, maxSummaryDocs: 2 } },
  ])(
    "for any adds, replacements and removals, sealed part-way or not, and any query; summaries $summaries",
    ({ options }) => {
      fc.assert(
        fc.property(
          fc.array(opArb, { minLength: 15, maxLength: 80 }),
          fc.nat(80),
          fc.array(queryArb, { minLength: 1, maxLength: 6 }),
          fc.array(opArb, { maxLength: 10 }),
          (ops, sealAt, queries, later) => {
            const index = new EmbeddedIndex(options);
            const docs = new Map<string, DocKeys>();
            const apply = (op: (typeof ops)[number]) => {
              // Ids that do not sort in the order they are added, as customers of several deliveries.
              const id = `c${String((op.n * 7919) % 41).padStart(2, "0")}`;
              const old = docs.get(id);
              if (op.remove) {
                if (old) index.remove(keysOf(id, old));
                docs.delete(id);
              } else {
                index.add(keysOf(id, op.doc), old ? keysOf(id, old) : null);
                docs.set(id, op.doc);
              }
            };
            ops.forEach((op, i) => {
              if (i === sealAt) index.seal();
              apply(op);
            });
            const expected = queries.map((q) => reference(docs, q));
            // Asked over and over (more queries than the accumulator has stamps), the same answers.
            for (let round = 0; round < 8; round++)
              for (const [i, q] of queries.entries()) expect(index.retrieve(q)).toEqual(expected[i]);
            // Changes after that are seen at once: nothing remembered from before them answers.
            for (const op of later) {
              apply(op);
              for (const q of queries) expect(index.retrieve(q)).toEqual(reference(docs, q));
            }
          },
        ),
        { numRuns: 400 },
      );
    },
  );
});
