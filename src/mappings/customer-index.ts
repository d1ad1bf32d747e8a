/**
 * Version of the customer index definition below. Bump it whenever settings or mappings change: a
 * full reindex then builds `customers-v{N}-…` next to the old index and swaps the alias over.
 */
export const CUSTOMER_INDEX_VERSION = 1;

/** Fields holding folded words that callers type the start of: keyword plus an edge-n-gram subfield. */
export const PREFIX_FIELDS = [
  "surname",
  "surnameParts",
  "tussenvoegsel",
  "firstNames",
  "companyWords",
  "street",
  "city",
] as const;

/** Longest prefix the edge-n-gram subfield holds; longer prefixes fall back to a `prefix` query. */
export const MAX_PREFIX_GRAM = 20;

const keyword = { type: "keyword" } as const;
const prefixed = {
  type: "keyword",
  fields: {
    prefix: {
      type: "text",
      analyzer: "folded_prefix",
      search_analyzer: "folded_whole",
      index_options: "docs",
      norms: false,
    },
  },
} as const;

/** The live alias searches go to: `customers`, with a prefix so tests can run side by side. */
export function customerAlias(prefix = ""): string {
  return `${prefix}customers`;
}

/** A fresh, versioned concrete index name behind the alias: `customers-v1-1764036000000`. */
export function customerIndexName(prefix = "", now: number = Date.now()): string {
  return `${customerAlias(prefix)}-v${CUSTOMER_INDEX_VERSION}-${now}`;
}

/**
 * Settings and mappings of the customer index, identical for Elasticsearch 9 and OpenSearch 3.
 * Matching keys arrive folded and normalised from src/mappings/customer-doc.ts, so exact fields are
 * plain keywords; the display payload (`view`, `policies`) is stored but not indexed.
 */
export function customerIndexDefinition(options: { replicas?: number } = {}) {
  return {
    settings: {
      number_of_shards: 1,
      number_of_replicas: options.replicas ?? 0,
      // No periodic refresh: the indexer refreshes after every write it makes (src/indexer/indexer.ts),
      // so what it wrote is searchable when it returns, and a big delivery is not cut into a segment
      // a second (20,000 customers into Elasticsearch 9.5.3: 2,759 docs/s with 1 s, 4,047 with none).
      refresh_interval: "-1",
      analysis: {
        filter: {
          prefix_grams: { type: "edge_ngram", min_gram: 1, max_gram: MAX_PREFIX_GRAM },
        },
        analyzer: {
          // Whole-value prefixes (the value is one token), matching the embedded engine's term prefixes.
          folded_prefix: {
            type: "custom",
            tokenizer: "keyword",
            filter: ["lowercase", "asciifolding", "prefix_grams"],
          },
          folded_whole: { type: "custom", tokenizer: "keyword", filter: ["lowercase", "asciifolding"] },
        },
      },
    },
    mappings: {
      dynamic: "strict",
      properties: {
        customerId: keyword,
        kind: keyword,
        surname: prefixed,
        surnameParts: prefixed,
        tussenvoegsel: prefixed,
        firstNames: prefixed,
        initials: keyword,
        companyWords: prefixed,
        phonetic: keyword,
        birthDate: { type: "date", format: "strict_date", fields: { string: keyword } },
        postcode: keyword,
        postcodeArea: keyword,
        houseNumber: keyword,
        houseNumberBase: keyword,
        street: prefixed,
        city: prefixed,
        phones: keyword,
        email: keyword,
        policyNumbers: keyword,
        partners: keyword,
        view: { type: "object", enabled: false },
        policies: { type: "object", enabled: false },
      },
    },
  };
}
