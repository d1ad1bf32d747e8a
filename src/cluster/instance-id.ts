import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** This process's name among several service instances on one store: host, pid and a random tail. */
export function createInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}
