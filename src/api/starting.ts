import { AppError } from "../domain/errors.ts";
import { toProblem } from "./problem.ts";

/**
 * What the service answers between binding its port and serving (store, engine and index loading):
 * `/health/live` 200, everything else 503 SERVICE_STARTING with Retry-After, so a client that comes
 * early is told to wait rather than refused a connection.
 */
export function startingResponse(req: Request): Response {
  const path = new URL(req.url).pathname;
  const json = (body: unknown, status: number, type = "application/json") =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": type, "cache-control": "no-store", "retry-after": "2" },
    });
  if (path === "/health/live") return json({ status: "starting" }, 200);
  if (path === "/health/ready") return json({ status: "starting" }, 503);
  const problem = toProblem(
    new AppError("SERVICE_STARTING", "the service is starting; try again in a moment"),
    path,
  );
  return json(problem, 503, "application/problem+json");
}
