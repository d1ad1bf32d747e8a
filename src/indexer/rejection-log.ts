import { appendFileSync, createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";

/** A document the engine refused, with the engine's reason: kept so it can be fixed and indexed again. */
export interface Rejection {
  at: string;
  customerId: string;
  reason: string;
}

// The in-memory view is for quick inspection; the file, when configured, is the complete record.
const KEPT_IN_MEMORY = 10_000;

/**
 * Records rejections in memory (the newest 10,000) and, when given a path, appends them as JSONL.
 * A reason may quote a value of the document (a birth date that is no date), so lines of customers
 * who are gone, or older than retention, are taken out again (`prune`).
 */
export class RejectionLog {
  private recent: Rejection[] = [];
  private readonly path: string | undefined;

  constructor(path?: string) {
    this.path = path;
    if (path) mkdirSync(dirname(path), { recursive: true });
  }

  add(rejections: ReadonlyArray<{ customerId: string; reason: string }>): void {
    if (rejections.length === 0) return;
    const at = new Date().toISOString();
    const lines = rejections.map((r) => ({ at, customerId: r.customerId, reason: r.reason }));
    if (this.path) appendFileSync(this.path, lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
    this.recent.push(...lines);
    if (this.recent.length > KEPT_IN_MEMORY) this.recent.splice(0, this.recent.length - KEPT_IN_MEMORY);
  }

  list(): Rejection[] {
    return [...this.recent];
  }

  /** Every customer id the log names (file and memory). */
  async customerIds(): Promise<Set<string>> {
    const ids = new Set(this.recent.map((r) => r.customerId));
    for await (const r of this.lines()) ids.add(r.customerId);
    return ids;
  }

  /**
   * Takes out the rejections `drop` picks: the file is written anew beside the old one and renamed
   * over it, so the old file's lines are unlinked together. Answers how many lines went.
   */
  async prune(drop: (r: Rejection) => boolean): Promise<number> {
    const before = this.recent.length;
    this.recent = this.recent.filter((r) => !drop(r));
    if (!this.path) return before - this.recent.length;
    let dropped = 0;
    const next = `${this.path}.next`;
    const out = createWriteStream(next, { mode: 0o600 });
    try {
      for await (const r of this.lines()) {
        if (drop(r)) dropped++;
        else if (!out.write(`${JSON.stringify(r)}\n`))
          await new Promise<void>((ok) => out.once("drain", () => ok()));
      }
      out.end();
      await finished(out);
    } catch (err) {
      out.destroy();
      await rm(next, { force: true });
      throw err;
    }
    if (dropped === 0) await rm(next, { force: true });
    else await rename(next, this.path);
    return dropped;
  }

  /** The lines of the file (none when there is no file). */
  private async *lines(): AsyncGenerator<Rejection> {
    if (!this.path) return;
    const input = createReadStream(this.path, { encoding: "utf8" });
    const missing = new Promise<boolean>((resolve) => {
      input.once("error", (e) => resolve((e as NodeJS.ErrnoException).code === "ENOENT"));
      input.once("open", () => resolve(false));
    });
    if (await missing) return;
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === "") continue;
      try {
        yield JSON.parse(line) as Rejection;
      } catch {
        // A line cut short by a crash names nobody we could keep apart; it is left out.
      }
    }
  }
}
