import type { Env } from "../config/env.ts";
import { MongoStore } from "./mongo-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";

/** The store the environment configures: embedded SQLite under DATA_DIR by default, else MongoDB. Call `init()` on it. */
export function createStore(
  env: Pick<Env, "STORE" | "DATA_DIR" | "MONGODB_URL"> & Partial<Pick<Env, "MONGODB_TIMEOUT_MS">>,
): Store {
  if (env.STORE === "mongodb")
    return new MongoStore({
      url: env.MONGODB_URL!,
      ...(env.MONGODB_TIMEOUT_MS ? { timeoutMs: env.MONGODB_TIMEOUT_MS } : {}),
    });
  return new SqliteStore({ dataDir: env.DATA_DIR });
}
