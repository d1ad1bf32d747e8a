import { fileURLToPath } from "node:url";
import { AppError } from "../domain/errors.ts";
import type { CanonicalRow, RowError } from "../domain/model.ts";
import { readCsvRows } from "./csv-rows.ts";
import { type DeliveryEncoding, decodeDelivery } from "./decode.ts";
import { readJsonlRows } from "./jsonl-rows.ts";
import { isNvgaProfile, type NvgaProfile } from "./nvga-profile.ts";
import { type NvgaFileInfo, readNvgaRows } from "./nvga-rows.ts";
import { type DeliveryProfile, loadProfiles, type MappingProfile } from "./profile.ts";

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
  format: "csv" | "jsonl" | "nvga-polis";
  profile: string;
  /** Largest record (CSV record or JSON line) accepted, in characters; default 256 KiB. */
  maxRecordBytes?: number;
  /** Profiles by name; default: the built-in `standaard` plus `profiles/*.json` of this repository. */
  profiles?: ReadonlyMap<string, DeliveryProfile>;
  /** Told which encoding the file turned out to have (for the delivery record and logs). */
  onEncoding?: (encoding: DeliveryEncoding) => void;
  /** Our POR codes for an NVGA File Polis (besides the profile's): a file for another insurer is refused. */
  porCodes?: readonly string[];
  /** Told what an NVGA File Polis says about itself (header, skipped policies, unknown labels). */
  onFileInfo?: (info: NvgaFileInfo) => void;
}

/** Default limit on one record; a real policy row is a few hundred bytes. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

/** The repository's `profiles/` directory. */
export const DEFAULT_PROFILES_DIR = fileURLToPath(new URL("../../profiles/", import.meta.url));

let defaultProfiles: Promise<Map<string, DeliveryProfile>> | undefined;

/** The repository's profiles, loaded once per process. */
export function repositoryProfiles(): Promise<Map<string, DeliveryProfile>> {
  defaultProfiles ??= loadProfiles(DEFAULT_PROFILES_DIR);
  return defaultProfiles;
}

/** The profile a delivery uses when it names none: `standaard` for CSV and JSON Lines, `nvga-polis` for NVGA. */
export function defaultProfileFor(format: ReadOptions["format"]): string {
  return format === "nvga-polis" ? "nvga-polis" : "standaard";
}

/**
 * The profile a delivery names, checked against its format; VALIDATION_FAILED when unknown or when it
 * does not fit (a CSV mapping profile for JSON Lines or NVGA, an NVGA profile for CSV). Callers check
 * at submit time so a bad name is a 400, not a failed delivery.
 */
export async function resolveProfile(
  name: string,
  format: ReadOptions["format"],
  known?: ReadonlyMap<string, DeliveryProfile>,
): Promise<DeliveryProfile> {
  const profiles = known ?? (await repositoryProfiles());
  const profile = profiles.get(name);
  if (!profile) {
    throw new AppError("VALIDATION_FAILED", `unknown profile "${name}"`, {
      details: { profile: name, known: [...profiles.keys()].filter((k) => !k.includes("@")) },
    });
  }
  if (format === "nvga-polis" && !isNvgaProfile(profile)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `profile "${name}" is a CSV profile; format nvga-polis needs an NVGA profile`,
    );
  }
  if (format !== "nvga-polis" && isNvgaProfile(profile)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `profile "${name}" is an NVGA File Polis profile; use format=nvga-polis`,
    );
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
  } else if (isNvgaProfile(profile)) {
    yield* readNvgaRows(text, {
      partner: options.partner,
      profile: profile as NvgaProfile,
      maxRecordBytes,
      ...(options.porCodes ? { porCodes: options.porCodes } : {}),
      ...(options.onFileInfo ? { onInfo: options.onFileInfo } : {}),
    });
  } else {
    yield* readCsvRows(text, {
      partner: options.partner,
      profile: profile as MappingProfile,
      maxRecordBytes,
    });
  }
}
