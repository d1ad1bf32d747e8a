import { z } from "zod";
import { Channel } from "../domain/model.ts";

/**
 * Shapes of the application's own endpoints (`/app/*`, `/v1/app/timings`, customer sources), in a
 * file of zod schemas only, so the browser code can take their types without the server's imports.
 */

/** The application's sign-in as the browser needs to know it (public; nothing secret). */
export const AppConfig = z.object({
  authMode: z.enum(["dev", "jwks"]),
  /** OpenID Connect public client (authorization code + PKCE); absent when not configured. */
  oidc: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      scope: z.string(),
      resource: z.string().optional(),
    })
    .optional(),
});
export type AppConfig = z.infer<typeof AppConfig>;

/** Roles a dev sign-in may pick (the contract's roles). */
const DevRole = z.enum(["agent", "intake-bot", "ingest", "admin"]);

/** Body of `POST /app/dev-token` (dev mode only): the role and name to sign in as. */
export const DevTokenInput = z
  .object({
    role: DevRole,
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\p{L}\p{N} .'@_-]+$/u, "letters, digits, spaces and . ' @ _ - only"),
  })
  .strict();

/** Answer of `POST /app/dev-token`. */
export const DevToken = z.object({ token: z.string(), expiresIn: z.number().int() });
export type DevToken = z.infer<typeof DevToken>;

/**
 * Where a customer's data came from: one delivery that carried or confirmed it. What each partner says
 * now is the customer detail's `sources` (one per partner, domain/customer-sources.ts); `current` marks
 * the deliveries whose version those hold.
 */
export const CustomerSource = z.object({
  deliveryId: z.string(),
  partner: z.string(),
  kind: z.enum(["full", "mutation"]),
  channel: Channel,
  receivedAt: z.string(),
  /** Who passed it on, for a policy given by phone (the agent who recorded it). */
  submittedBy: z.string().optional(),
  /** This delivery's name, address, phones and e-mail are what its partner says of the customer now. */
  current: z.literal(true).optional(),
});
export type CustomerSource = z.infer<typeof CustomerSource>;

/** Answer of `GET /v1/customers/{customerId}/sources`, newest delivery first. */
export const CustomerSources = z.object({ sources: z.array(CustomerSource) });
export type CustomerSources = z.infer<typeof CustomerSources>;

/**
 * The service centre's promise, measured in the application: how long from opening a caller view
 * (`caller`) or a first keystroke (`search`) to the customer's card (`card`) and to a coverage verdict
 * (`verdict`), and how many searches end without a customer (`no-customer`). Nothing personal: a
 * measure, where it started, and milliseconds.
 */
export const PromiseEvent = z
  .object({
    measure: z.enum(["card", "verdict", "no-customer"]),
    start: z.enum(["caller", "search"]),
    /** Milliseconds from the start; absent for `no-customer`. At most one working day. */
    ms: z
      .number()
      .int()
      .min(0)
      .max(8 * 3600_000)
      .optional(),
  })
  .strict()
  .refine((e) => (e.measure === "no-customer") === (e.ms === undefined), {
    message: "ms is required for card and verdict, and absent for no-customer",
    path: ["ms"],
  });
export type PromiseEvent = z.infer<typeof PromiseEvent>;

/** Body of `POST /v1/app/timings`: a few events the application collected. */
export const PromiseEventBatch = z.object({ events: z.array(PromiseEvent).min(1).max(20) }).strict();

/** One day's figures for one measure and start. */
export const PromiseDay = z.object({
  day: z.string(),
  measure: z.enum(["card", "verdict", "no-customer"]),
  start: z.enum(["caller", "search"]),
  count: z.number().int(),
  /** Median and 90th percentile in ms (nearest rank); absent for `no-customer`. */
  medianMs: z.number().optional(),
  p90Ms: z.number().optional(),
});
export type PromiseDay = z.infer<typeof PromiseDay>;

/** Answer of `GET /v1/app/timings`: the daily figures, newest day first. */
export const PromiseReport = z.object({ days: z.array(PromiseDay) });
export type PromiseReport = z.infer<typeof PromiseReport>;
