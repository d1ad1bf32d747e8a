import { SaxesParser } from "saxes";
import { AppError } from "../domain/errors.ts";
import { afdDate, type NvgaProfile } from "./nvga-profile.ts";
import type { ParsedRow } from "./read-delivery.ts";
import type { StandaardColumn } from "./standaard-columns.ts";
import { toCanonicalRow } from "./standaard-row.ts";
import { lowerCaseValueMaps, mapValue } from "./value-maps.ts";

/** What an NVGA File Polis said about itself, and what was skipped or not understood in it. */
export interface NvgaFileInfo {
  /** The root element's name (`NVGAFilePolis`, `NVGAFileInkomenPolis`, …). */
  root?: string;
  /** `AL_ADATMSG`: the date the data refer to (yyyy-mm-dd), when it is a date. */
  referenceDate?: string;
  /** `AL_INCLGP`: cancelled policies included (J/N). */
  includesCancelled?: boolean;
  /** `VL_MYAAND` of every VL entity: the insurers the file is for. */
  recipients: string[];
  /** Policies of branches the profile does not read (counted, not rejected). */
  skippedOtherBranches: number;
  /** Policies of another insurer (`PP_MYAAND`) in a file for several. */
  skippedOtherInsurers: number;
  /** Labels inside policies that the profile neither maps nor ignores, with how often they came. */
  unknownLabels: Record<string, number>;
}

/** How the reader is set up. */
export interface NvgaReadOptions {
  partner: string;
  profile: NvgaProfile;
  /** Largest run of characters between two XML events (a text, a tag): bounds the parser's buffers. */
  maxRecordBytes: number;
  /** Our own POR codes (besides the profile's); a file for none of them is WRONG_RECIPIENT. */
  porCodes?: readonly string[];
  /** Told the header once the first policy starts, and everything at the end. */
  onInfo?: (info: NvgaFileInfo) => void;
}

/** Text handed to the parser at once: bounds the rows queued between two reads. */
const SLICE = 64 * 1024;
/** Deeper nesting than any AFD message has: such a file is refused rather than tracked. */
const MAX_DEPTH = 32;
/** Distinct unknown labels counted; beyond these only the known ones are. */
const MAX_UNKNOWN_LABELS = 200;

const reject = (message: string, details?: Record<string, unknown>) =>
  new AppError("DELIVERY_REJECTED", message, details ? { details } : undefined);
const localName = (name: string) => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};
const isLabel = (name: string) => name.length > 3 && name[2] === "_";

/** One policy being read: its labels (first occurrence wins), coverages, and holders seen. */
interface OpenPolicy {
  line: number;
  depth: number;
  startedAt: number;
  /** Mapped labels' values by standaard column (as delivered), the first occurrence of each. */
  cells: Partial<Record<StandaardColumn, string>>;
  /** Values of the labels read for the profile's rules: branche, processing code, the policy's insurer. */
  special: Map<string, string>;
  coverage: string[];
  holders: number;
  oversized: boolean;
  /** The coverage entity being read, its depth, and the best code label seen in it so far. */
  inCoverage?: { entity: string; depth: number; code?: string; rank: number };
}

/**
 * Reads an NVGA File Polis (SIVI AFD XML, already decoded to text) as canonical rows through an NVGA
 * profile. Streaming with saxes: no DTD (a DOCTYPE fails the file), no entity but XML's five (saxes
 * expands no declared entity; an undeclared one is a well-formedness error), nesting and the text
 * between two events bounded. A malformed file fails whole with line and column; an invalid policy
 * is a row error at the line of its start tag, naming the label.
 */
export async function* readNvgaRows(
  text: AsyncIterable<string>,
  options: NvgaReadOptions,
): AsyncGenerator<ParsedRow> {
  const { partner, profile, maxRecordBytes } = options;
  const porCodes = new Set([...profile.recipient.porCodes, ...(options.porCodes ?? [])]);
  const labelColumns = new Map(Object.entries(profile.labels) as Array<[string, StandaardColumn]>);
  const columnLabels = new Map<string, string>();
  for (const [label, column] of labelColumns) if (!columnLabels.has(column)) columnLabels.set(column, label);
  const coverageLabels = new Map(Object.entries(profile.coverage));
  const special = new Set<string>([
    profile.recipient.policyLabel,
    ...(profile.branche ? [profile.branche.label] : []),
    ...(profile.lapsed ? [profile.lapsed.label] : []),
  ]);
  const known = new Set<string>([
    ...labelColumns.keys(),
    ...profile.ignore,
    ...[...coverageLabels.values()].flat(),
    ...special,
  ]);
  const includeBranches = new Set(profile.branche?.include ?? []);
  const lapsedCodes = new Set(profile.lapsed?.codes ?? []);
  const companyCodes = new Set(profile.companyGenderCodes.map((c) => c.toUpperCase()));
  const valueMaps = lowerCaseValueMaps(profile.values);
  const mappedColumns = Object.keys(valueMaps) as StandaardColumn[];
  const genderLabel = columnLabels.get("geslacht");

  const info: NvgaFileInfo = {
    recipients: [],
    skippedOtherBranches: 0,
    skippedOtherInsurers: 0,
    unknownLabels: {},
  };
  const header = new Map<string, string>();
  const out: ParsedRow[] = [];
  let depth = 0;
  let leafText = "";
  let sawMessage = false;
  let headerDone = false;
  let policy: OpenPolicy | undefined;
  let lastEventAt = 0;

  const parser = new SaxesParser({ position: true });
  const where = () => ({ line: parser.line, column: parser.column });
  const malformed = (message: string) => {
    const { line, column } = where();
    return reject(
      `the XML is malformed at line ${line}, column ${column}: ${message}; nothing was taken in`,
      {
        line,
        column,
      },
    );
  };

  const finishHeader = () => {
    headerDone = true;
    if (!sawMessage)
      throw reject(
        `not an NVGA File Polis: the first policy (line ${parser.line}) comes without an AL (message) entity before it`,
        { line: parser.line },
      );
    const reference = header.get(profile.referenceDateLabel);
    const date = reference ? afdDate(reference) : null;
    if (date) info.referenceDate = date;
    const included = header.get("AL_INCLGP");
    if (included) info.includesCancelled = included.toUpperCase() === "J";
    if (porCodes.size > 0 && info.recipients.length > 0 && !info.recipients.some((r) => porCodes.has(r))) {
      throw new AppError(
        "WRONG_RECIPIENT",
        `the file is for insurer ${info.recipients.join(", ")} (${profile.recipient.label}), not for us (${[...porCodes].join(", ")}); nothing was taken in`,
        { details: { recipients: info.recipients } },
      );
    }
    options.onInfo?.({ ...info, recipients: [...info.recipients] });
  };

  const finishPolicy = (p: OpenPolicy): ParsedRow | undefined => {
    const line = p.line;
    if (p.oversized) {
      const message = `the policy is larger than the limit of ${profile.maxPolicyChars} characters`;
      return { line, ok: false, errors: [{ line, field: profile.policyEntity, message }] };
    }
    const v = p.special;
    if (profile.branche) {
      const branche = v.get(profile.branche.label);
      if (branche !== undefined && !includeBranches.has(branche)) {
        info.skippedOtherBranches++;
        return undefined;
      }
    }
    const insurer = v.get(profile.recipient.policyLabel);
    if (porCodes.size > 0 && insurer !== undefined && !porCodes.has(insurer)) {
      info.skippedOtherInsurers++;
      return undefined;
    }
    if (p.holders !== 1) {
      const message =
        p.holders === 0
          ? `the policy has no ${profile.holderEntity} (policyholder)`
          : `the policy has ${p.holders} ${profile.holderEntity} entities; exactly one policyholder is expected`;
      return { line, ok: false, errors: [{ line, field: profile.holderEntity, message }] };
    }
    const cells = p.cells;
    const gender = cells.geslacht?.toUpperCase();
    for (const column of mappedColumns) {
      const value = cells[column];
      if (value !== undefined) cells[column] = mapValue(column, value, valueMaps);
    }
    if (gender !== undefined && companyCodes.has(gender)) {
      // A legal person: VP_ANAAM is the company's name; no personal name parts, no gender.
      cells.soort = "Z";
      if (cells.achternaam !== undefined) cells.bedrijfsnaam = cells.achternaam;
      delete cells.achternaam;
      delete cells.tussenvoegsel;
      delete cells.voorletters;
      delete cells.voornamen;
      delete cells.geslacht;
    }
    if (p.coverage.length > 0) cells.dekkingen = mapValue("dekkingen", p.coverage.join(","), valueMaps);
    if (profile.lapsed && lapsedCodes.has(v.get(profile.lapsed.label) ?? "")) cells.status = "geroyeerd";
    const result = toCanonicalRow(cells, partner, afdDate);
    if (result.ok) return { line, ok: true, row: result.row };
    return {
      line,
      ok: false,
      errors: result.errors.map((e) => ({ line, field: fieldLabel(e.field), message: e.message })),
    };
  };
  const fieldLabel = (column: string): string => {
    if (column === "dekkingen") return [...coverageLabels.keys()].join("/") || column;
    if (column === "soort") return genderLabel ?? column;
    return columnLabels.get(column) ?? column;
  };

  parser.on("doctype", () => {
    throw reject(
      `the file has a DTD (<!DOCTYPE …> at line ${parser.line}); DTDs and entity declarations are not accepted; nothing was taken in`,
      { line: parser.line },
    );
  });
  parser.on("error", (err) => {
    throw malformed(err.message.replace(/^\d+:\d+:\s*/, ""));
  });
  parser.on("opentag", (tag: { name: string }) => {
    lastEventAt = parser.position;
    if (++depth > MAX_DEPTH) throw malformed(`elements nested deeper than ${MAX_DEPTH} levels`);
    const name = localName(tag.name);
    leafText = "";
    if (depth === 1) {
      info.root = name;
      return;
    }
    if (policy) {
      if (parser.position - policy.startedAt > profile.maxPolicyChars) policy.oversized = true;
      if (name === profile.holderEntity) policy.holders++;
      else if (!policy.inCoverage && coverageLabels.has(name))
        policy.inCoverage = { entity: name, depth, rank: Number.POSITIVE_INFINITY };
      return;
    }
    if (name === profile.policyEntity) {
      if (!headerDone) finishHeader();
      policy = {
        line: parser.line,
        depth,
        startedAt: parser.position,
        cells: {},
        special: new Map(),
        coverage: [],
        holders: 0,
        oversized: false,
      };
    } else if (name === "AL") sawMessage = true;
  });
  parser.on("text", (t) => {
    lastEventAt = parser.position;
    leafText += t;
  });
  parser.on("cdata", (t) => {
    lastEventAt = parser.position;
    leafText += t;
  });
  parser.on("closetag", (tag: { name: string }) => {
    lastEventAt = parser.position;
    const name = localName(tag.name);
    const closing = depth--;
    if (policy) {
      if (closing === policy.depth) {
        const row = finishPolicy(policy);
        policy = undefined;
        if (row) out.push(row);
        return;
      }
      const cov = policy.inCoverage;
      if (cov && closing === cov.depth) {
        if (cov.code) policy.coverage.push(cov.code);
        policy.inCoverage = undefined;
        return;
      }
      if (policy.oversized || !isLabel(name)) return;
      if (parser.position - policy.startedAt > profile.maxPolicyChars) {
        policy.oversized = true;
        return;
      }
      const value = leafText.trim();
      if (cov) {
        const rank = coverageLabels.get(cov.entity)!.indexOf(name);
        if (rank >= 0) {
          if (value !== "" && rank < cov.rank) {
            cov.code = value;
            cov.rank = rank;
          }
          return;
        }
      }
      const column = labelColumns.get(name);
      if (column !== undefined) {
        if (value !== "" && policy.cells[column] === undefined) policy.cells[column] = value;
      } else if (special.has(name)) {
        if (value !== "" && !policy.special.has(name)) policy.special.set(name, value);
      } else if (!known.has(name)) {
        const seen = info.unknownLabels[name];
        if (seen !== undefined) info.unknownLabels[name] = seen + 1;
        else if (Object.keys(info.unknownLabels).length < MAX_UNKNOWN_LABELS) info.unknownLabels[name] = 1;
      }
      return;
    }
    if (!isLabel(name)) return;
    const value = leafText.trim();
    if (name === profile.recipient.label && value !== "") info.recipients.push(value);
    if (!header.has(name)) header.set(name, value);
  });

  let started = false;
  let failure: unknown;
  const feed = (piece: string) => {
    try {
      parser.write(piece);
    } catch (err) {
      failure = err;
      return;
    }
    if (parser.position - lastEventAt > maxRecordBytes) {
      failure = malformed(`an element or text runs on for more than ${maxRecordBytes} characters`);
    }
  };
  for await (const chunk of text) {
    let piece = chunk;
    if (!started) {
      piece = piece.replace(/^\s+/, "");
      if (piece === "") continue;
      started = true;
      if (piece[0] !== "<")
        throw reject(
          `not XML: an NVGA File Polis starts with "<", this file with ${JSON.stringify(piece.slice(0, 30))}; a CSV file is delivered with format=csv`,
        );
    }
    for (let i = 0; i < piece.length && !failure; i += SLICE) {
      feed(piece.slice(i, i + SLICE));
      yield* out.splice(0);
    }
    if (failure) throw failure;
  }
  if (!started) throw reject("the file is empty: expected an NVGA File Polis");
  try {
    parser.close();
  } catch (err) {
    failure = err;
  }
  yield* out.splice(0);
  if (failure) throw failure;
  if (!headerDone) {
    if (!sawMessage) throw reject("not an NVGA File Polis: no AL (message) entity and no policies");
    finishHeader();
  }
  options.onInfo?.({ ...info, recipients: [...info.recipients] });
}
