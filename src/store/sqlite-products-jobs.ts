import type { Job, Product } from "../domain/model.ts";
import { parse, parseAll, type Row, type SqliteConnection } from "./sqlite-connection.ts";

/** The product catalogue (`products`) and background jobs (`jobs`) of the embedded store: small tables of documents. */
export class SqliteProductsJobs {
  private readonly main: SqliteConnection;

  constructor(main: SqliteConnection) {
    this.main = main;
  }

  putProduct(product: Product): Promise<void> {
    return this.main.exclusive(() => {
      this.main
        .q(
          "INSERT INTO products (code, doc) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET doc = excluded.doc",
        )
        .run(product.code, JSON.stringify(product));
    });
  }

  putProductIfVersion(
    product: Product & { version: number },
    expectedVersion: number | null,
  ): Promise<boolean> {
    // Within the write queue: the read and the write are one step for every other writer.
    return this.main.exclusive(() => {
      const stored = this.getProduct(product.code) as (Product & { version?: number }) | null;
      const version = stored ? (stored.version ?? 1) : null;
      if (version !== expectedVersion) return false;
      this.main
        .q(
          "INSERT INTO products (code, doc) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET doc = excluded.doc",
        )
        .run(product.code, JSON.stringify(product));
      return true;
    });
  }

  getProduct(code: string): Product | null {
    return parse<Product>(
      this.main.r("SELECT doc FROM products WHERE code = ?").get(code) as Row | undefined,
    );
  }

  listProducts(): Product[] {
    return parseAll<Product>(this.main.r("SELECT doc FROM products ORDER BY code").all() as Row[]);
  }

  putJob(job: Job): Promise<void> {
    return this.main.exclusive(() => {
      this.main
        .q("INSERT INTO jobs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")
        .run(job.id, JSON.stringify(job));
    });
  }

  getJob(id: string): Job | null {
    return parse<Job>(this.main.r("SELECT doc FROM jobs WHERE id = ?").get(id) as Row | undefined);
  }

  /** A scan of the jobs table: a few rows a day. */
  recentJobs(type: Job["type"], limit: number): Job[] {
    return parseAll<Job>(
      this.main
        .r(
          `SELECT doc FROM jobs WHERE doc ->> '$.type' = ? ORDER BY doc ->> '$.createdAt' DESC, id DESC LIMIT ?`,
        )
        .all(type, limit) as Row[],
    );
  }
}
