import { Client as ElasticsearchClient } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { AppError } from "../domain/errors.ts";

/** One REST request to the engine; `ndjson` sends a bulk body. */
export interface RestRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
  ndjson?: unknown[];
  querystring?: Record<string, string>;
  /** Overrides the client's 30 s request timeout (a force-merge may take longer). */
  timeoutMs?: number;
  /** Aborts the request (the socket is closed; the engine may finish what it started). */
  signal?: AbortSignal;
}

/** An engine answer: HTTP status and body, whatever the status (callers decide what is an error). */
export interface RestResponse {
  status: number;
  body: unknown;
}

/**
 * The REST calls the engine adapter needs, the same for both products: Elasticsearch and OpenSearch
 * speak the same REST API for everything we use, but their clients answer in different shapes.
 */
export interface RestTransport {
  request(req: RestRequest): Promise<RestResponse>;
  close(): Promise<void>;
}

interface ClientError {
  meta?: { statusCode?: number; body?: unknown };
}

// A non-2xx answer is a response (status + body); no answer at all (refused, timeout) is unavailability.
function answerOrThrow(e: unknown, product: string): RestResponse {
  const meta = (e as ClientError).meta;
  if (typeof meta?.statusCode === "number" && meta.statusCode > 0)
    return { status: meta.statusCode, body: meta.body };
  throw new AppError("ENGINE_UNAVAILABLE", `${product} did not answer: ${(e as Error).message}`, {
    cause: e,
  });
}

/** Elasticsearch 9: the client resolves to the body, or to `{ body, statusCode }` with `meta: true`. */
export function elasticsearchTransport(url: string): RestTransport {
  const client = new ElasticsearchClient({ node: url, requestTimeout: 30_000 });
  return {
    async request(req) {
      try {
        const r = await client.transport.request(
          {
            method: req.method,
            path: req.path,
            body: req.body as object,
            bulkBody: req.ndjson as object[],
            querystring: req.querystring,
          },
          {
            meta: true,
            ...(req.timeoutMs ? { requestTimeout: req.timeoutMs } : {}),
            ...(req.signal ? { signal: req.signal } : {}),
          },
        );
        return { status: r.statusCode ?? 200, body: r.body };
      } catch (e) {
        return answerOrThrow(e, "Elasticsearch");
      }
    },
    close: () => client.close(),
  };
}

/** OpenSearch 3: the client always resolves to `{ body, statusCode }`. */
export function openSearchTransport(url: string): RestTransport {
  const client = new OpenSearchClient({ node: url, requestTimeout: 30_000 });
  return {
    async request(req) {
      try {
        req.signal?.throwIfAborted();
        const pending = client.transport.request(
          {
            method: req.method,
            path: req.path,
            body: req.body as object,
            bulkBody: req.ndjson as object[],
            querystring: req.querystring,
          },
          req.timeoutMs ? { requestTimeout: req.timeoutMs } : {},
        );
        // This client cancels through the promise it answers. The listener must return nothing: an
        // EventTarget rethrows the rejection of a thenable a listener returns, as an uncaught error.
        const abort = () => {
          pending.abort();
        };
        req.signal?.addEventListener("abort", abort, { once: true });
        const r = await pending.finally(() => req.signal?.removeEventListener("abort", abort));
        return { status: r.statusCode ?? 200, body: r.body };
      } catch (e) {
        return answerOrThrow(e, "OpenSearch");
      }
    },
    close: () => client.close(),
  };
}
