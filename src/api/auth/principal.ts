import { z } from "zod";

/** Roles of the contract (JWT claim `roles`, an array). */
export const Role = z.enum(["agent", "intake-bot", "ingest", "admin", "privacy"]);
export type Role = z.infer<typeof Role>;

/** Who is calling, as a verified token says: subject, known roles, and the partner of an ingest token. */
export interface Principal {
  subject: string;
  roles: Role[];
  partner?: string;
}

/** Verifies a bearer token; throws AppError UNAUTHENTICATED (bad token) or AUTH_UNAVAILABLE (keys unreachable). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** Reads a principal out of verified claims; unknown roles are dropped, so they grant nothing. */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const roles = Array.isArray(claims.roles)
    ? claims.roles.flatMap((r) => {
        const parsed = Role.safeParse(r);
        return parsed.success ? [parsed.data] : [];
      })
    : [];
  const partner =
    typeof claims.partner === "string" && claims.partner.length > 0 ? claims.partner : undefined;
  return { subject: String(claims.sub), roles: [...new Set(roles)], ...(partner ? { partner } : {}) };
}
