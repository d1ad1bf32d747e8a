import { AppError } from "../domain/errors.ts";

// The MongoDB driver's errors for a server it cannot reach or lost on the way (by name: the domain and
// API never import a driver).
const UNREACHABLE = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoPoolClearedError",
  "MongoNotConnectedError",
]);

/** Whether a failure means the store's server is out of reach (worth waiting for), not a bad request. */
export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof AppError) return err.code === "STORE_UNAVAILABLE";
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (UNREACHABLE.has((e as { name?: string }).name ?? "")) return true;
  return false;
}

/** The answer while the store is out of reach: a 503 the caller may retry. */
export const storeUnavailable = (cause?: unknown) =>
  new AppError("STORE_UNAVAILABLE", "the store is not answering; try again shortly", {
    cause,
    details: { retryAfter: 5 },
  });
