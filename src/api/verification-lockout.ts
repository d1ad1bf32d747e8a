/**
 * Locks a verification target (a policy number, a customer) after repeated failures, whoever tries:
 * the intake bot serves every chat user under one token subject, so a per-subject limit cannot stop one
 * chat user from guessing someone's birth date. In memory per process; several instances need a shared
 * store behind the same interface, which is why it answers promises.
 */
export interface VerificationLockout {
  /** Seconds until the last lock among `targets` lifts; 0 when none is locked. */
  lockedFor(targets: readonly string[]): Promise<number>;
  /** Counts one failed attempt against each target; answers the targets this failure locked. */
  fail(targets: readonly string[]): Promise<string[]>;
  /** A verified attempt forgets the failures counted against its targets. */
  succeed(targets: readonly string[]): Promise<void>;
}

/** How many failures within `windowMs` lock a target, and for how long. */
export interface LockoutRules {
  attempts: number;
  windowMs: number;
  lockMs: number;
}

interface TargetState {
  failures: number[];
  lockedUntil: number;
}

/** The in-memory lockout; at most `maxTargets` targets are remembered (expired ones go first). */
export function createMemoryLockout(
  rules: LockoutRules,
  now: () => number = Date.now,
  maxTargets = 100_000,
): VerificationLockout & { size(): number } {
  const targets = new Map<string, TargetState>();
  const live = (s: TargetState, t: number) =>
    s.lockedUntil > t || s.failures.some((f) => t - f < rules.windowMs);
  const sweep = (t: number) => {
    for (const [k, s] of targets) if (!live(s, t)) targets.delete(k);
    for (const k of targets.keys()) {
      if (targets.size < maxTargets) break;
      targets.delete(k);
    }
  };
  return {
    async lockedFor(keys) {
      const t = now();
      let ms = 0;
      for (const k of keys) {
        const s = targets.get(k);
        if (s && s.lockedUntil > t) ms = Math.max(ms, s.lockedUntil - t);
      }
      return Math.ceil(ms / 1000);
    },
    async fail(keys) {
      const t = now();
      const locked: string[] = [];
      for (const k of new Set(keys)) {
        let s = targets.get(k);
        if (!s) {
          if (targets.size >= maxTargets) sweep(t);
          s = { failures: [], lockedUntil: 0 };
          targets.set(k, s);
        }
        s.failures = s.failures.filter((f) => t - f < rules.windowMs);
        s.failures.push(t);
        if (s.failures.length >= rules.attempts && s.lockedUntil <= t) {
          s.lockedUntil = t + rules.lockMs;
          s.failures = [];
          locked.push(k);
        }
      }
      return locked;
    },
    async succeed(keys) {
      for (const k of keys) targets.delete(k);
    },
    size: () => targets.size,
  };
}
