/**
 * The PostgreSQL store's schema, as forward-only numbered migrations. `<prefix>_schema_version`
 * records each one applied (version, name, time); opening a store applies the missing ones in
 * order, in one transaction under an advisory lock (so several processes opening at once apply
 * each exactly once). A migration is never edited once released: change the schema by adding
 * the next number. Every step is written to be a no-op on a database that already has what it
 * creates, so a database created before versioning (tables, no version table) is adopted as is.
 * A database migrated further by a newer release is left alone: migrations only add.
 */

/** One schema step. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, for tables `<prefix>_decisions` and `<prefix>_outcomes`. */
  readonly statements: (prefix: string) => string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "decisions and outcomes tables; indexes on timestamp, (routing_layer, timestamp), unique event_id, outcomes (event_id, seq)",
    statements: (p) => `CREATE TABLE IF NOT EXISTS ${p}_decisions (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL UNIQUE,
  "timestamp" timestamptz NOT NULL,
  routing_layer text NOT NULL,
  selected_master text NOT NULL,
  schema_version integer NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS ${p}_decisions_timestamp_idx ON ${p}_decisions ("timestamp");
CREATE INDEX IF NOT EXISTS ${p}_decisions_layer_idx ON ${p}_decisions (routing_layer, "timestamp");
CREATE TABLE IF NOT EXISTS ${p}_outcomes (
  seq bigserial PRIMARY KEY,
  event_id text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS ${p}_outcomes_event_idx ON ${p}_outcomes (event_id, seq);`,
  },
  {
    version: 2,
    // A windowed analysis counts the malformed outcomes recorded in its window (as the JSONL reader does).
    name: "outcomes timestamp index, for windowed analyses",
    statements: (p) => `CREATE INDEX IF NOT EXISTS ${p}_outcomes_timestamp_idx ON ${p}_outcomes ("timestamp");`,
  },
];

/** The newest schema version this release knows. */
export const DATABASE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

// Any fixed number works; it serialises concurrent migrations of the same database.
const SCHEMA_LOCK = 7_146_532_901;

/**
 * One statement (a DO block: one implicit transaction) that creates the version table when
 * absent and applies the migrations newer than the version recorded. `prefix` is a validated
 * lower-case identifier, so it may be spliced in.
 */
export function migrateStatement(prefix: string): string {
  const steps = MIGRATIONS.map(
    (m) => `  IF current < ${m.version} THEN
${m.statements(prefix).replace(/^/gm, "    ")}
    INSERT INTO ${prefix}_schema_version (version, name) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}');
  END IF;`,
  ).join("\n");
  return `DO $migrate$
DECLARE current integer;
BEGIN
  PERFORM pg_advisory_xact_lock(${SCHEMA_LOCK});
  CREATE TABLE IF NOT EXISTS ${prefix}_schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
  SELECT coalesce(max(version), 0) INTO current FROM ${prefix}_schema_version;
${steps}
END
$migrate$`;
}
