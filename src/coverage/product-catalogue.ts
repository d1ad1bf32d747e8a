import { z } from "zod";
import { isCalendarDate } from "../domain/coverage/timeline.ts";
import { AppError, invalid } from "../domain/errors.ts";
import { Product } from "../domain/model.ts";
import type { Store } from "../store/store.ts";

/** A product as the catalogue keeps it: the contract's Product JSON plus its version and change time. */
export const CatalogueProduct = Product.extend({
  /** 1 for the first PUT; each PUT that changes something adds one. */
  version: z.number().int().positive(),
  /** ISO instant of the PUT that made this version. */
  updatedAt: z.string(),
});
export type CatalogueProduct = z.infer<typeof CatalogueProduct>;

/** The product catalogue behind `PUT /v1/products/{code}` and `GET /v1/products`. */
export interface ProductCatalogue {
  /**
   * Validates and stores a product as its next version; the previous version is kept (see `history`).
   * Putting the same content again changes nothing and answers the stored version.
   * Throws VALIDATION_FAILED with `details.issues` when the product does not hold together.
   */
  put(input: unknown, options?: { code?: string }): Promise<CatalogueProduct>;
  get(code: string): Promise<CatalogueProduct | null>;
  /** The current version of every product, ordered by code. */
  list(): Promise<CatalogueProduct[]>;
  /** Every stored version of a product, oldest first. */
  history(code: string): Promise<CatalogueProduct[]>;
}

// Older versions live in the store's product table under `CODE@vN`; product codes may not contain `@`.
const MAX_WRITE_ATTEMPTS = 50;
const ARCHIVE = "@v";
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The catalogue on top of the store's product table. */
export function createProductCatalogue(store: Store, clock: () => Date = () => new Date()): ProductCatalogue {
  const read = async (code: string): Promise<CatalogueProduct | null> => {
    const stored = await store.getProduct(code);
    return stored ? normalise(stored) : null;
  };
  return {
    async put(input, options) {
      const product = parseProduct(input);
      if (options?.code !== undefined && options.code !== product.code)
        throw invalid(`The product code in the body (${product.code}) differs from the one in the path`, {
          issues: [{ path: "code", message: "must equal the code in the path" }],
        });
      // Read, decide, write only if nobody wrote in between; else read again. Two PUTs at once get
      // two versions, one after the other, never the same number.
      for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
        const current = await read(product.code);
        if (current && sameContent(current, product)) return current;
        // The version it replaces is kept first, under its own number: a writer that loses below has
        // written the same archive the winner writes.
        if (current)
          await store.putProduct({ ...current, code: `${current.code}${ARCHIVE}${current.version}` });
        const next: CatalogueProduct = {
          ...product,
          version: (current?.version ?? 0) + 1,
          updatedAt: clock().toISOString(),
        };
        if (await store.putProductIfVersion(next, current?.version ?? null)) return next;
      }
      throw new AppError("CONFLICT", `product ${product.code} kept changing under this write; try again`);
    },
    get: (code) => (code.includes("@") ? Promise.resolve(null) : read(code)),
    async list() {
      const all = await store.listProducts();
      return all
        .filter((p) => !p.code.includes("@"))
        .map(normalise)
        .sort((a, b) => a.code.localeCompare(b.code, "en"));
    },
    async history(code) {
      const current = await read(code);
      if (!current) return [];
      const older: CatalogueProduct[] = [];
      for (let v = 1; v < current.version; v++) {
        const p = await store.getProduct(`${code}${ARCHIVE}${v}`);
        if (p) older.push({ ...normalise(p), code });
      }
      return [...older, current];
    },
  };
}

/** Parses product JSON and checks that it holds together; throws VALIDATION_FAILED listing every problem. */
export function parseProduct(input: unknown): Product {
  const parsed = Product.safeParse(input);
  if (!parsed.success)
    throw invalid("The product does not match the product schema", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  const p = parsed.data;
  const issues: Array<{ path: string; message: string }> = [];
  if (!CODE.test(p.code))
    issues.push({
      path: "code",
      message: "letters, digits, '.', '_' and '-' only, starting with a letter or digit",
    });
  const dup = (path: string, values: readonly string[], what: (v: string) => string) => {
    for (const v of duplicates(values)) issues.push({ path, message: what(v) });
  };
  dup(
    "modules",
    p.modules.map((m) => m.code),
    (c) => `module code ${c} occurs more than once`,
  );
  for (const [i, m] of p.modules.entries()) {
    if (m.legalAreas.length === 0)
      issues.push({ path: `modules.${i}.legalAreas`, message: `module ${m.code} covers no legal area` });
    dup(`modules.${i}.legalAreas`, m.legalAreas, (a) => `legal area ${a} occurs more than once`);
  }
  dup(
    "clauses",
    p.clauses.map((c) => c.code),
    (c) => `clause code ${c} occurs more than once`,
  );
  for (const [i, c] of p.clauses.entries())
    if (c.text.trim() === "")
      issues.push({ path: `clauses.${i}.text`, message: `clause ${c.code} has no text` });
  dup(
    "conditions",
    p.conditions.map((c) => c.code),
    (c) => `conditions code ${c} occurs more than once`,
  );
  dup(
    "conditions",
    p.conditions.map((c) => c.validFrom),
    (d) => `two conditions versions start on ${d}`,
  );
  for (const [i, c] of p.conditions.entries())
    if (!isCalendarDate(c.validFrom))
      issues.push({ path: `conditions.${i}.validFrom`, message: `${c.validFrom} is not a calendar date` });
  if (issues.length > 0) throw invalid("The product does not hold together", { issues });
  return p;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Products written before versioning (or by hand) count as version 1. */
function normalise(p: Product): CatalogueProduct {
  const extra = p as Partial<CatalogueProduct>;
  return { ...Product.parse(p), version: extra.version ?? 1, updatedAt: extra.updatedAt ?? "" };
}

function sameContent(current: CatalogueProduct, next: Product): boolean {
  const { version: _v, updatedAt: _u, ...content } = current;
  return stableJson(content) === stableJson(next);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
