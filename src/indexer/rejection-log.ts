import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** A document the engine refused, with the engine's reason: kept so it can be fixed and indexed again. */
export interface Rejection {
  at: string;
  customerId: string;
  reason: string;
}

// The in-memory view is for quick inspection; the file, when configured, is the complete record.
const KEPT_IN_MEMORY = 10_000;

/** Records rejections in memory (the newest 10,000) and, when given a path, appends them as JSONL. */
export class RejectionLog {
  private readonly recent: Rejection[] = [];
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
}
