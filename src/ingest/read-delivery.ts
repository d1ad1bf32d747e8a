import { fileURLToPath } from "node:url";
import { AppError } from "../domain/errors.ts";
import type { CanonicalRow, RowError } from "../domain/model.ts";
import { readCsvRows } from "./csv-rows.ts";
import { type DeliveryEncoding, decodeDelivery } from "./decode.ts";
import { readJsonlRows } from "./jsonl-rows.ts";
import { loadProfiles, type MappingProfile } from "./profile.ts";

/** One row of a delivery: accepted in canonical form, or rejected with every problem found. */
export type ParsedRow =
  | {
      line: number;
      ok: true;
      row: CanonicalRow;
      /** The row's identity keys, when the reader worked them out. */
      keys?: string[];
    }
  | { line: number; ok: false; errors: RowError[] };

/** What is being read: whose delivery, in which format and partner profile. */
export interface ReadOptions {
  partner: string;
  format: "csv" | "jsonl";
  profile: string;
  /** Largest record (CSV record or JSON line) accepted, in characters; default 256 KiB. */
  maxRecordBytes?: number;
  /** Profiles by name; default: the built-in `standaard` plus `profiles/*.json` of this repository. */
  profiles?: ReadonlyMap<string, MappingProfile>;
  /** Told which encoding the file turned out to have (for the delivery record and logs). */
  onEncoding?: (encoding: DeliveryEncoding) => void;
}

/** Default limit on one record; a real policy row is a few hundred bytes. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

/** The repository's `profiles/` directory. */
export const DEFAULT_PROFILES_DIR = fileURLToPath(new URL("../../profiles/", import.meta.url));

let defaultProfiles: Promise<Map<string, MappingProfile>> | undefined;

/** The repository's profiles, loaded once per process. */
export function repositoryProfiles(): Promise<Map<string, MappingProfile>> {
  defaultProfiles ??= loadProfiles(DEFAULT_PROFILES_DIR);
  return defaultProfiles;
}

/**
 * The profile a delivery names, checked against its format; VALIDATION_FAILED when unknown or when a
 * mapping profile is asked for JSON Lines. Callers check at submit time so a bad name is a 400, not a
 * failed delivery.
 */
export async function resolveProfile(
  name: string,
  format: ReadOptions["format"],
  known?: ReadonlyMap<string, MappingProfile>,
): Promise<MappingProfile> {
  const profiles = known ?? (await repositoryProfiles());
  const profile = profiles.get(name);
  if (!profile) {
    throw new AppError("VALIDATION_FAILED", `unknown profile "${name}"`, {
      details: { profile: name, known: [...profiles.keys()].filter((k) => !k.includes("@")) },
    });
  }
  if (format === "jsonl" && profile.name !== "standaard") {
    throw new AppError(
      "VALIDATION_FAILED",
      "a mapping profile applies to CSV; JSON Lines is always canonical",
    );
  }
  return profile;
}

/** Streams a delivery's rows; throws AppError("DELIVERY_REJECTED", msg) for a whole-file problem. */
export async function* readDelivery(
  source: AsyncIterable<Uint8Array>,
  options: ReadOptions,
): AsyncGenerator<ParsedRow> {
  const profile = await resolveProfile(options.profile, options.format, options.profiles);
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const text = decodeDelivery(source, options.onEncoding);
  if (options.format === "jsonl") {
    yield* readJsonlRows(text, { partner: options.partner, maxRecordBytes });
  } else {
    yield* readCsvRows(text, { partner: options.partner, profile, maxRecordBytes });
  }
}
