/**
 * Tables of the embedded store. Nested data lives in JSON `doc` columns; lookups that must be fast
 * (identity keys, policy numbers) get their own narrow tables and indexes.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  status TEXT NOT NULL,
  received_at TEXT NOT NULL,
  duplicate_of TEXT,
  doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS deliveries_sha ON deliveries (partner, sha256, received_at);
CREATE INDEX IF NOT EXISTS deliveries_received ON deliveries (received_at);
-- The open deliveries (received, processing) an instance picks up: few among many.
CREATE INDEX IF NOT EXISTS deliveries_status ON deliveries (status);

CREATE TABLE IF NOT EXISTS customers (customer_id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
-- Identity keys by their 53-bit hash (src/store/key-hash.ts) with the customer id as 16 bytes where it
-- is a UUID (src/store/compact-id.ts): small rows keep this randomly written table small. Which keys a
-- customer holds is read from its document, so no second index.
CREATE TABLE IF NOT EXISTS identity_keys (hash INTEGER PRIMARY KEY, customer_id ANY NOT NULL) STRICT;

-- One unique index serves both the (partner, polisnummer) key and the lookup by polisnummer alone:
-- polisnummers arrive in random order, and every random index costs a page write per row ingested.
CREATE TABLE IF NOT EXISTS policies (
  partner TEXT NOT NULL,
  policy_number TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  doc TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS policies_key ON policies (policy_number, partner);
CREATE INDEX IF NOT EXISTS policies_customer ON policies (customer_id);

-- Lineage tables of an earlier layout; lineage now lives in the documents only.
DROP TABLE IF EXISTS customer_deliveries;
DROP TABLE IF EXISTS policy_deliveries;

CREATE TABLE IF NOT EXISTS products (code TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;

`;

/**
 * The audit log, in a database file of its own (`audit.db`): its commits never wait for the write
 * lock a delivery holds on the main database, so a lookup is on record at once while a delivery lands.
 */
export const SQLITE_AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  id TEXT PRIMARY KEY, at TEXT NOT NULL, subject TEXT NOT NULL, doc TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS audit_customers (
  audit_id TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (customer_id, audit_id)
) STRICT, WITHOUT ROWID;
-- Which customers a recent lookup returned, in the order the lookups came: appending here dirties a
-- page or two per commit, where ten rows at random places of audit_customers dirtied ten. Moved into
-- audit_customers in bulk, sorted, by src/store/sqlite-audit-upkeep.ts.
CREATE TABLE IF NOT EXISTS audit_customers_new (audit_id TEXT NOT NULL, customer_id TEXT NOT NULL) STRICT;
`;

/**
 * Moves a policies table of the earlier layout (PRIMARY KEY (partner, policy_number) plus an index
 * on policy_number) to the current one; run before SQLITE_SCHEMA. No-op on a new or current database.
 */
export const SQLITE_MIGRATE_POLICIES = `
CREATE TABLE policies_v2 (
  partner TEXT NOT NULL,
  policy_number TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  doc TEXT NOT NULL
) STRICT;
INSERT INTO policies_v2 (partner, policy_number, customer_id, doc)
  SELECT partner, policy_number, customer_id, doc FROM policies;
DROP TABLE policies;
ALTER TABLE policies_v2 RENAME TO policies;
`;
