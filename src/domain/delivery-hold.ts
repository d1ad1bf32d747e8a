import type { DeliveryHold } from "./model.ts";

/**
 * Whether a full delivery is held: it would end `wouldEnd` running policies of its partner and holds
 * `kept` policies, so it ends `wouldEnd / (wouldEnd + kept)` of the portfolio as it stood; more than the
 * partner's threshold (a percentage) is unusual enough for an admin to look first — a truncated export
 * must not end customers' cover. `endDate`: when the endings take effect once released.
 */
export function holdFor(
  wouldEnd: number,
  kept: number,
  thresholdPercent: number,
  endDate: string,
): DeliveryHold | null {
  if (wouldEnd === 0) return null;
  const running = wouldEnd + kept;
  const percent = Math.round((wouldEnd / running) * 1000) / 10;
  if (percent <= thresholdPercent) return null;
  return {
    reason: `the delivery would end ${wouldEnd} of ${running} running policies (${percent} %), more than the partner's threshold of ${thresholdPercent} %; an admin releases or rejects it`,
    wouldEnd,
    running,
    percent,
    thresholdPercent,
    endDate,
  };
}
