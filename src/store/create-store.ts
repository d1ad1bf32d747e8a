import type { Env } from "../config/env.ts";
import { MongoStore } from "./mongo-store.ts";
import { SqliteStore } from "./sqlite-store.ts";
import type { Store } from "./store.ts";

/** The database a MongoDB URL names (`mongodb://host/NAME?…`), if it names one. */
export function mongoDatabaseOf(url: string): string | undefined {
  // Not `new URL`: a replica set's URL lists several hosts, which WHATWG URLs do not take.
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * The store the environment configures: embedded SQLite under DATA_DIR by default, else MongoDB (the
 * database named in MONGODB_URL, `klantherkenning` when it names none). Call `init()` on it.
 */
export function createStore(
  env: Pick<Env, "STORE" | "DATA_DIR" | "MONGODB_URL"> & Partial<Pick<Env, "MONGODB_TIMEOUT_MS">>,
): Store {
  if (env.STORE === "mongodb") {
    const dbName = mongoDatabaseOf(env.MONGODB_URL!);
    return new MongoStore({
      url: env.MONGODB_URL!,
      ...(dbName ? { dbName } : {}),
      ...(env.MONGODB_TIMEOUT_MS ? { timeoutMs: env.MONGODB_TIMEOUT_MS } : {}),
    });
  }
  return new SqliteStore({ dataDir: env.DATA_DIR });
}
