import type { Lease, LeaseStore } from "../store/store-coordination.ts";

/** A lease this instance holds, renewed by a heartbeat until released. */
export interface HeldLease {
  readonly name: string;
  /**
   * True once the lease may have passed to another instance (a renewal was refused, or none
   * succeeded in time): stop before the next write and leave the rest to the new holder.
   */
  lost(): boolean;
  release(): Promise<void>;
}

/** Where leases are kept, who this instance is, and how long a lease lasts without a heartbeat. */
export interface LeaseKeeperOptions {
  leases: LeaseStore;
  /** This instance's id (src/cluster/instance-id.ts). */
  owner: string;
  /** How long a lease lasts without renewal; the heartbeat renews it every third of that. */
  ttlMs: number;
  /** How often `take` looks again while another instance holds the lease (default ttlMs / 3). */
  pollMs?: number;
  now?: () => number;
  logger?: { warn(obj: object, msg?: string): void };
}

/** Takes, holds and gives up leases for one instance (see LeaseStore for the rules of a lease). */
export interface LeaseKeeper {
  readonly owner: string;
  readonly ttlMs: number;
  readonly pollMs: number;
  /** Takes `name` when it is free, expired or already ours; null while another instance holds it. */
  tryTake(name: string, note?: string): Promise<HeldLease | null>;
  /**
   * Takes `name`, waiting while another instance holds it; `onSeen` is told the lease as recorded
   * before each try (the current or last holder and its note, also when released or expired).
   */
  take(name: string, note?: string, onSeen?: (recorded: Lease) => void): Promise<HeldLease>;
  /** The lease as another instance holds it now, or null (free, expired, or ours). */
  heldElsewhere(name: string): Promise<Lease | null>;
  /** Stops every heartbeat without releasing anything, as a process that dies would (tests). */
  halt(): void;
  /** Releases every lease still held (a clean stop). */
  close(): Promise<void>;
}

/** Creates the lease keeper of one instance. */
export function createLeaseKeeper(options: LeaseKeeperOptions): LeaseKeeper {
  const { leases, owner, ttlMs, logger } = options;
  if (!Number.isFinite(ttlMs) || ttlMs < 100) throw new TypeError("ttlMs must be at least 100");
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const held = new Map<string, { timer: NodeJS.Timeout; release: () => Promise<void> }>();
  let halted = false;

  function hold(lease: Lease): HeldLease {
    let expiresAt = lease.expiresAt;
    let refused = false;
    let renewing = false;
    const beat = async () => {
      if (renewing || refused || halted) return;
      renewing = true;
      try {
        const t = now();
        if (await leases.renew(lease.name, owner, ttlMs, t)) expiresAt = t + ttlMs;
        else {
          refused = true;
          stop();
          logger?.warn({ lease: lease.name, owner }, "lease taken over by another instance");
        }
      } catch (err) {
        // Kept until it runs out: `lost()` turns true a quarter of the lease before its expiry.
        logger?.warn({ lease: lease.name, err: (err as Error).message }, "lease renewal failed");
      } finally {
        renewing = false;
      }
    };
    const timer = setInterval(() => void beat(), Math.max(30, Math.floor(ttlMs / 3)));
    timer.unref();
    const stop = () => {
      clearInterval(timer);
      held.delete(lease.name);
    };
    const release = async () => {
      stop();
      if (!refused && !halted) await leases.release(lease.name, owner);
    };
    held.set(lease.name, { timer, release });
    return {
      name: lease.name,
      lost: () => refused || halted || now() >= expiresAt - ttlMs / 4,
      release,
    };
  }

  async function tryTake(name: string, note?: string): Promise<HeldLease | null> {
    if (halted) return null;
    // Ours already (another task of this instance): not taken twice.
    if (held.has(name)) return null;
    const lease = await leases.acquire(name, owner, ttlMs, now(), note);
    return lease ? hold(lease) : null;
  }

  return {
    owner,
    ttlMs,
    pollMs,
    tryTake,
    async take(name, note, onSeen) {
      for (;;) {
        if (onSeen) {
          const recorded = await leases.get(name);
          if (recorded) onSeen(recorded);
        }
        const lease = await tryTake(name, note);
        if (lease) return lease;
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async heldElsewhere(name) {
      const lease = await leases.get(name);
      return lease && lease.owner !== owner && lease.expiresAt > now() ? lease : null;
    },
    halt() {
      halted = true;
      for (const h of held.values()) clearInterval(h.timer);
      held.clear();
    },
    async close() {
      await Promise.all([...held.values()].map((h) => h.release()));
    },
  };
}
