import { z } from "zod";
import { AppError } from "../domain/errors.ts";
import { parseDutchDate } from "../domain/normalise/date.ts";
import { STANDAARD_COLUMNS } from "./standaard-columns.ts";
import type { DateParser } from "./standaard-row.ts";

const Column = z.enum(STANDAARD_COLUMNS);
/** An AFD entity code: two capitals (`PP`, `VP`, `XD`). */
const Entity = z.string().regex(/^[A-Z][A-Z0-9]$/, "an AFD entity: two capitals, such as PP");
/** An AFD label: entity, underscore, attribute (`VP_ANAAM`). */
const Label = z.string().regex(/^[A-Z][A-Z0-9]_[A-Z0-9]{1,12}$/, "an AFD label such as VP_ANAAM");

/**
 * A partner profile for the NVGA File Polis (SIVI AFD XML): which labels mean which `standaard`
 * column, the insurer's code lists, which branches are read, and which entities hold coverages.
 * Declarative and versioned like the CSV profiles, because every insurer's AFD definition differs
 * in its code lists; the repository's `profiles/nvga-polis.json` is the documented default.
 */
export const NvgaProfile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower case letters, digits and dashes"),
    version: z.number().int().positive(),
    format: z.literal("nvga-polis"),
    description: z.string().optional(),
    /** The entity of one policy (a row), and of its policyholder (exactly one per policy). */
    policyEntity: Entity.default("PP"),
    holderEntity: Entity.default("VP"),
    /** AFD label → `standaard` column; a label of any entity inside the policy (its own, VP, …). */
    labels: z.record(Label, Column),
    /** Labels read and deliberately left unused (e.g. `VP_BSNR`, never stored): not counted as unknown. */
    ignore: z.array(Label).default([]),
    /** Per `standaard` column: the insurer's code → the `standaard` value (for `dekkingen`: per coverage code). */
    values: z.partialRecord(Column, z.record(z.string(), z.string())).default({}),
    /** `VP_GESLACH` codes meaning a legal person (rechtspersoon): the row is a company named by VP_ANAAM. */
    companyGenderCodes: z.array(z.string()).default(["R"]),
    /** Only policies of these branches are read; others are counted and skipped. No label: all read. */
    branche: z.object({ label: Label, include: z.array(z.string().min(1)).min(1) }).optional(),
    /** Coverage entities (`XD`, …) and the labels holding their coverage code, first present wins. */
    coverage: z.record(Entity, z.array(Label).min(1)).default({}),
    /** A processing code (`PP_VRWRKCD`) that marks a lapsed policy: read as status `geroyeerd`. */
    lapsed: z.object({ label: Label, codes: z.array(z.string()).min(1) }).optional(),
    /** The date the file's data refer to (the monthly snapshot's date). */
    referenceDateLabel: Label.default("AL_ADATMSG"),
    /**
     * Who the file is for: `VL_MYAAND` holds the insurer's POR code (file level), `PP_MYAAND` a
     * policy's insurer when the file names several. `porCodes`: ours; empty leaves the check to the
     * NVGA_POR_CODES environment variable (and off when that is empty too).
     */
    recipient: z
      .object({
        label: Label.default("VL_MYAAND"),
        policyLabel: Label.default("PP_MYAAND"),
        porCodes: z.array(z.string().min(1)).default([]),
      })
      .default({ label: "VL_MYAAND", policyLabel: "PP_MYAAND", porCodes: [] }),
    /** Largest policy (its XML, in characters) read; a larger one is a row error. Default 1 MiB. */
    maxPolicyChars: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 ** 2)
      .default(1024 ** 2),
  })
  .strict();
export type NvgaProfile = z.infer<typeof NvgaProfile>;

/** Whether a loaded profile is an NVGA one (CSV profiles have no `format`). */
export function isNvgaProfile(profile: object): profile is NvgaProfile {
  return (profile as { format?: unknown }).format === "nvga-polis";
}

/** Parses one NVGA profile's JSON; the error names the source and the offending field. */
export function parseNvgaProfile(json: unknown, source: string): NvgaProfile {
  const result = NvgaProfile.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    throw new AppError("VALIDATION_FAILED", `profile ${source}: ${field}: ${issue.message}`, {
      details: { file: source, field },
    });
  }
  return result.data;
}

/**
 * AFD dates: `jjjjmmdd` (AFD 1.0) or `jjjj-mm-dd` (AFD 2.0), nothing else: a Dutch `dd-mm-jjjj`
 * in an AFD file is an error, never a guess.
 */
export const afdDate: DateParser = (input) => {
  const s = input.trim();
  return /^\d{8}$/.test(s) || /^\d{4}-\d{2}-\d{2}$/.test(s) ? parseDutchDate(s) : null;
};

/** The name of the default NVGA profile (`profiles/nvga-polis.json`). */
export const DEFAULT_NVGA_PROFILE = "nvga-polis";
