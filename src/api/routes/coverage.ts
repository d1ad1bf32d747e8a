import { Hono } from "hono";
import { AssessmentInput } from "../../coverage/coverage-service.ts";
import { AssessmentResult } from "../../domain/coverage/result.ts";
import { AppError } from "../../domain/errors.ts";
import { LegalArea } from "../../domain/model.ts";
import { ServiceAdvice } from "../../domain/service-advice/advice.ts";
import type { AppEnv } from "../context.ts";
import { type RouteDeps, readJson } from "../route-deps.ts";

/** Answer of an assessment: the contract's shape with `otherPolicies`, and which service fits (our additions). */
export const AssessmentResponse = AssessmentResult.extend({
  /** Our addition: which service fits the question (docs/service-advice.md). */
  serviceAdvice: ServiceAdvice,
});

/** `POST /v1/coverage/assessments` (agent): is this incident covered by the policy? */
export function coverageRoutes(d: RouteDeps) {
  const app = new Hono<AppEnv>();
  d.api.add({
    method: "post",
    path: "/v1/coverage/assessments",
    summary: "Assess coverage of an incident (policyNumber or customerId)",
    description:
      "Beside the verdict, `serviceAdvice` says which service fits: `juridisch-advies` (advice by phone), " +
      "`zaakbehandeling` (case handling), `mediation` or `doorverwijzing` (referral), with reasons " +
      "(stable codes, Dutch messages to read out). `questionKind` (`advice` | `claim`, default `claim`) " +
      "says whether the customer asks for advice or brings a claim. Rules: docs/service-advice.md.",
    roles: ["agent"],
    body: AssessmentInput,
    responses: {
      200: { description: "Verdict with reasons", schema: AssessmentResponse },
      404: { description: "No such policy or customer" },
    },
  });
  app.post("/v1/coverage/assessments", d.role("agent"), d.audited, async (c) => {
    const input = await readJson(c, AssessmentInput);
    const fields = Object.keys(input).sort();
    c.set("auditInfo", { fields, query: input, customerIds: input.customerId ? [input.customerId] : [] });
    if (!input.policyNumber && !input.customerId) {
      throw new AppError("VALIDATION_FAILED", "give policyNumber or customerId", {
        details: {
          errors: [{ path: "body.policyNumber", message: "policyNumber or customerId is required" }],
        },
      });
    }
    if (!LegalArea.safeParse(input.legalArea).success) {
      throw new AppError("UNKNOWN_LEGAL_AREA", `unknown legal area; one of: ${LegalArea.options.join(", ")}`);
    }
    const result = (await d.services.coverage.assess(input)) as Record<string, unknown>;
    const policy = result.policy as { customerId?: unknown } | undefined;
    const customerId = typeof policy?.customerId === "string" ? policy.customerId : input.customerId;
    c.set("auditInfo", { fields, query: input, customerIds: customerId ? [customerId] : [] });
    return c.json(result);
  });
  return app;
}
