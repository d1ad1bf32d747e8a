import type { Env } from "../config/env.ts";
import { AppError } from "../domain/errors.ts";
import { createElasticsearchEngine, createOpenSearchEngine } from "./elastic-engine.ts";
import { EmbeddedSearchEngine } from "./embedded-engine.ts";
import type { SearchEngine } from "./search-engine.ts";

/** Overrides for tests and tools: an index prefix for the real engines, another data directory. */
export interface CreateEngineOptions {
  prefix?: string;
  dataDir?: string;
}

/**
 * The search engine the environment asks for: embedded (the default, under DATA_DIR) or Elasticsearch
 * / OpenSearch by `SEARCH`. Not yet initialised: call `init()` before use.
 */
export function createEngine(
  env: Pick<Env, "SEARCH" | "DATA_DIR" | "ELASTICSEARCH_URL" | "OPENSEARCH_URL"> &
    Partial<Pick<Env, "SEARCH_INDEX_PREFIX">>,
  options: CreateEngineOptions = {},
): SearchEngine {
  const prefix = options.prefix ?? env.SEARCH_INDEX_PREFIX;
  const need = (url: string | undefined, name: string) => {
    if (!url) throw new AppError("VALIDATION_FAILED", `${name} is required when SEARCH=${env.SEARCH}`);
    return url;
  };
  switch (env.SEARCH) {
    case "elasticsearch":
      return createElasticsearchEngine(need(env.ELASTICSEARCH_URL, "ELASTICSEARCH_URL"), { prefix });
    case "opensearch":
      return createOpenSearchEngine(need(env.OPENSEARCH_URL, "OPENSEARCH_URL"), { prefix });
    default:
      return new EmbeddedSearchEngine({ dataDir: options.dataDir ?? env.DATA_DIR });
  }
}
