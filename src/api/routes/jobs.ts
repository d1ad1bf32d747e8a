import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../domain/errors.ts";
import { Job } from "../../domain/model.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readId, readJson } from "../route-deps.ts";

/** Body of `POST /v1/jobs`. */
export const JobInput = z
  .object({
    type: z.enum(["reindex", "purge"]),
    /** Purge only: answer in the receipt what would go, delete nothing. */
    dryRun: z.boolean().optional(),
  })
  .strict()
  .refine((j) => j.type === "purge" || j.dryRun === undefined, {
    message: "dryRun applies to a purge only",
    path: ["dryRun"],
  });

const JobView = Job.pick({
  id: true,
  type: true,
  status: true,
  progress: true,
  startedAt: true,
  finishedAt: true,
  error: true,
  dryRun: true,
  receipt: true,
  coveredBy: true,
});

/** `POST /v1/jobs` and `GET /v1/jobs/{id}` (admin): reindex and purge in the background. */
export function jobRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/jobs",
    summary:
      "Start a background job (reindex, purge; a purge with dryRun: true deletes nothing); jobs run one at a time",
    roles: ["admin"],
    body: JobInput,
    responses: { 202: { description: "Queued", schema: z.object({ id: z.string() }) } },
  });
  app.post("/v1/jobs", d.role("admin"), async (c) => {
    const { type, dryRun } = await readJson(c, JobInput);
    const job = await d.services.jobs.submit(type, c.get("principal").subject, { dryRun: dryRun === true });
    c.header("Location", `/v1/jobs/${job.id}`);
    return c.json({ id: job.id }, 202);
  });

  d.api.add({
    method: "get",
    path: "/v1/jobs/{id}",
    summary: "State and progress of a job; a purge's erasure receipt",
    roles: ["admin"],
    params: { id: "Job id" },
    responses: { 200: { description: "The job", schema: JobView }, 404: { description: "Unknown job" } },
  });
  app.get("/v1/jobs/:id", d.role("admin"), async (c) => {
    const job = await d.services.jobs.get(readId(c, "id"));
    if (!job) throw notFound("job");
    return c.json(JobView.parse(job));
  });
  return app;
}
