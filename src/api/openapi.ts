import { z } from "zod";
import type { Role } from "./auth/principal.ts";
import { Problem } from "./problem.ts";

/** One documented operation; route modules register these next to their handlers. */
export interface Operation {
  method: "get" | "post" | "put";
  /** OpenAPI path template, `/v1/customers/{customerId}`. */
  path: string;
  summary: string;
  description?: string;
  /** Roles allowed; null for public endpoints. */
  roles: Role[] | null;
  body?: z.ZodType;
  /** `binary` for the streamed delivery upload. */
  bodyKind?: "json" | "binary";
  query?: z.ZodObject;
  params?: Record<string, string>;
  /** Status → description and (JSON) schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const toSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** Collects operations and renders the OpenAPI 3.1 document from the same zod schemas the handlers parse with. */
export function createApiRegistry() {
  const ops: Operation[] = [];
  return {
    add(op: Operation): void {
      ops.push(op);
    },
    document(): Record<string, unknown> {
      const paths: Record<string, Record<string, unknown>> = {};
      for (const op of ops) {
        const parameters = [
          ...Object.entries(op.params ?? {}).map(([name, description]) => ({
            name,
            in: "path",
            required: true,
            description,
            schema: { type: "string" },
          })),
          ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
            name,
            in: "query",
            required: !(schema as z.ZodType).safeParse(undefined).success,
            schema: toSchema(schema as z.ZodType, "input"),
          })),
        ];
        const responses: Record<string, unknown> = {};
        for (const [status, r] of Object.entries(op.responses)) {
          responses[status] = r.schema
            ? {
                description: r.description,
                content: { [r.contentType ?? "application/json"]: { schema: toSchema(r.schema, "output") } },
              }
            : { description: r.description };
        }
        if (op.body) responses["400"] ??= problem("The request does not parse (field paths in `errors`)");
        if (op.body && op.bodyKind !== "binary")
          responses["415"] ??= problem("The body is not sent as `application/json`");
        if (op.roles)
          responses["429"] ??= problem("Rate limit of the token subject exceeded (see `Retry-After`)");
        if (op.roles) {
          responses["401"] ??= problem("No valid bearer token");
          responses["403"] ??= problem(`Caller lacks the role (${op.roles.join(", ")})`);
          responses["503"] ??= problem("Token keys, audit log or engine unavailable (fails closed)");
        }
        const requestBody = op.body
          ? {
              required: true,
              content:
                op.bodyKind === "binary"
                  ? {
                      "application/octet-stream": {
                        schema: { type: "string", contentMediaType: "application/octet-stream" },
                      },
                    }
                  : { "application/json": { schema: toSchema(op.body, "input") } },
            }
          : undefined;
        paths[op.path] ??= {};
        paths[op.path]![op.method] = {
          tags: [op.path.startsWith("/v1/") ? op.path.split("/")[2]! : "operations"],
          summary: op.summary,
          description: [op.roles ? `Roles: ${op.roles.join(", ")}.` : "No token needed.", op.description]
            .filter(Boolean)
            .join(" "),
          ...(op.roles ? { security: [{ bearer: [] }], "x-roles": op.roles } : { security: [] }),
          ...(parameters.length ? { parameters } : {}),
          ...(requestBody ? { requestBody } : {}),
          responses,
        };
      }
      return {
        openapi: "3.1.0",
        info: {
          title: "Klantherkenning API",
          version: "1.0.0",
          description:
            "Customer recognition and coverage assessment for the legal service centre. Personal data travels " +
            "in request bodies, never in URLs. Every lookup is recorded in the audit log. Roles come from the " +
            "JWT claim `roles` (array): agent, intake-bot, ingest (with a `partner` claim), admin; each " +
            "operation lists its roles under `x-roles`.",
        },
        servers: [{ url: "/" }],
        components: {
          securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
          schemas: { Problem: toSchema(Problem, "output") },
        },
        paths,
      };
    },
  };
}

/** The registry type route modules receive. */
export type ApiRegistry = ReturnType<typeof createApiRegistry>;
