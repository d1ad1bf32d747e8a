import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { AppError } from "../domain/errors.ts";
import { parseDutchDate } from "../domain/normalise/date.ts";
import { compileDateFormat } from "./date-format.ts";
import { type NvgaProfile, parseNvgaProfile } from "./nvga-profile.ts";
import { STANDAARD_COLUMNS } from "./standaard-columns.ts";
import type { DateParser } from "./standaard-row.ts";

const Column = z.enum(STANDAARD_COLUMNS);

/**
 * A partner mapping profile: how one partner's own export layout maps onto the `standaard` profile.
 * Declarative and versioned, so a partner is onboarded by adding a JSON file to `profiles/`.
 */
export const MappingProfile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower case letters, digits and dashes"),
    version: z.number().int().positive(),
    extends: z.literal("standaard"),
    description: z.string().optional(),
    delimiter: z.enum([";", ","]).optional(),
    /** Partner header → standaard column; matched ignoring case and surrounding spaces. */
    headers: z.record(z.string().min(1), Column).default({}),
    /** Per standaard column: partner value → standaard value (per item for dekkingen/clausules). */
    values: z.partialRecord(Column, z.record(z.string(), z.string())).default({}),
    /** A fixed notation (`dd.MM.yyyy`, `MM/dd/yyyy`) when the partner writes all dates one way. */
    dateFormat: z
      .string()
      .refine(
        (f) => compileDateFormat(f) !== null,
        "must hold dd or d, MM or M, and yyyy once each (dd-MM-yyyy)",
      )
      .optional(),
  })
  .strict();
export type MappingProfile = z.infer<typeof MappingProfile>;

/** Any delivery profile: a CSV mapping profile or an NVGA File Polis profile (`format: "nvga-polis"`). */
export type DeliveryProfile = MappingProfile | NvgaProfile;

/** The built-in profile: the contract's columns as they are. */
export const STANDAARD_PROFILE: MappingProfile = {
  name: "standaard",
  version: 1,
  extends: "standaard",
  headers: {},
  values: {},
};

/** The date reader of a profile: its fixed notation, plus ISO dates which cannot be misread. */
export function profileDateParser(profile: MappingProfile): DateParser {
  const fixed = profile.dateFormat ? compileDateFormat(profile.dateFormat) : null;
  if (!fixed) return parseDutchDate;
  return (input) => (/^\d{4}-\d{2}-\d{2}$/.test(input.trim()) ? parseDutchDate(input) : fixed(input));
}

/** Parses one profile's JSON; the error names the source and the offending field. */
export function parseProfile(json: unknown, source: string): MappingProfile {
  const result = MappingProfile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    throw new AppError("VALIDATION_FAILED", `profile ${source}: ${field}: ${issue.message}`, {
      details: { file: source, field },
    });
  }
  if (result.data.name === STANDAARD_PROFILE.name) {
    throw new AppError("VALIDATION_FAILED", `profile ${source}: name: "standaard" is built in`, {
      details: { file: source, field: "name" },
    });
  }
  return result.data;
}

/**
 * Loads every `*.json` profile in a directory (plus the built-in `standaard`): CSV mapping profiles,
 * and NVGA File Polis profiles (those with `"format": "nvga-polis"`, src/ingest/nvga-profile.ts). Keyed by name (the
 * highest version) and by `name@version`. A bad file stops loading with an error naming file and field.
 */
export async function loadProfiles(dir: string): Promise<Map<string, DeliveryProfile>> {
  const profiles = new Map<string, DeliveryProfile>([
    [STANDAARD_PROFILE.name, STANDAARD_PROFILE],
    [`${STANDAARD_PROFILE.name}@1`, STANDAARD_PROFILE],
  ]);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return profiles;
    throw cause;
  }
  for (const file of files) {
    const path = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (cause) {
      throw new AppError(
        "VALIDATION_FAILED",
        `profile ${path}: not valid JSON (${(cause as Error).message})`,
        {
          cause,
          details: { file: path },
        },
      );
    }
    const nvga = (json as { format?: unknown } | null)?.format === "nvga-polis";
    const profile: DeliveryProfile = nvga ? parseNvgaProfile(json, path) : parseProfile(json, path);
    const key = `${profile.name}@${profile.version}`;
    if (profiles.has(key)) {
      throw new AppError("VALIDATION_FAILED", `profile ${path}: version: ${key} is defined twice`, {
        details: { file: path, field: "version" },
      });
    }
    profiles.set(key, profile);
    const current = profiles.get(profile.name);
    if (!current || current.version < profile.version) profiles.set(profile.name, profile);
  }
  return profiles;
}
