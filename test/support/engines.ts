import { describe, inject } from "vitest";

/** Real engines that engine-backed suites run against. */
export type EngineName = "mongodb" | "opensearch" | "elasticsearch";

declare module "vitest" {
  export interface ProvidedContext {
    /** Engine name → base URL, or the reason it is not available; filled by test/support/global-setup.ts. */
    engines: Record<EngineName, { url: string } | { skipped: string }>;
  }
}

/** The engine's URL in this test run, or undefined when it is not configured. */
export function engineUrl(name: EngineName): string | undefined {
  const e = inject("engines")[name];
  return "url" in e ? e.url : undefined;
}

/**
 * Declares a suite that runs against a real engine when one is configured, and is reported as skipped
 * (with the reason in its title) when not. Never runs against a mock.
 */
export function describeWithEngine(name: EngineName, title: string, fn: (url: string) => void): void {
  const e = inject("engines")[name];
  if ("url" in e) {
    describe(`${title} [${name}]`, () => fn(e.url));
  } else {
    describe.skip(`${title} [${name}: skipped — ${e.skipped}]`, () => fn("unavailable"));
  }
}
