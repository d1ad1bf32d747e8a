import type { IncomingMessage } from "node:http";
import type { HttpBindings } from "@hono/node-server";
import type { MiddlewareHandler } from "hono";
import proxyaddr from "proxy-addr";
import { type Cidr, inCidrList } from "../config/cidr.ts";
import { AppError } from "../domain/errors.ts";
import type { AppEnv } from "./context.ts";

type Env = AppEnv & { Bindings: Partial<HttpBindings> };

/**
 * Sets `clientAddress`: the socket's peer, or, when that peer is a trusted proxy, the right-most address
 * in `X-Forwarded-For` that is not a trusted proxy (proxy-addr's walk, as Express does it). Addresses
 * the client itself put at the left of the header are never believed. Without a Node socket (in-process
 * requests in tests) the address is unknown.
 */
export function clientAddress(trustedProxies: readonly Cidr[]): MiddlewareHandler<Env> {
  const trust = (address: string) => inCidrList(trustedProxies, address);
  return async (c, next) => {
    const socket = c.env?.incoming?.socket?.remoteAddress;
    if (trustedProxies.length === 0 || socket === undefined) {
      c.set("clientAddress", socket);
    } else {
      const forwarded = c.req.header("x-forwarded-for");
      const req = { socket: { remoteAddress: socket }, headers: { "x-forwarded-for": forwarded } };
      c.set("clientAddress", proxyaddr(req as unknown as IncomingMessage, trust));
    }
    await next();
  };
}

/** Paths open to every address: the platform's liveness and readiness probes. */
export const ALWAYS_OPEN = new Set(["/health/live", "/health/ready"]);

/**
 * Refuses (403 NETWORK_NOT_ALLOWED) every client outside `allowed` before anything else happens: no
 * token is read, nothing is audited. An empty list allows any address; an unknown one is refused.
 */
export function allowedNetworks(allowed: readonly Cidr[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (allowed.length > 0 && !ALWAYS_OPEN.has(c.req.path) && !inCidrList(allowed, c.get("clientAddress"))) {
      throw new AppError("NETWORK_NOT_ALLOWED", "this service answers only within the insurer's network");
    }
    await next();
  };
}
