/** Stable error codes; callers and tests rely on these strings, so never rename one. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNKNOWN_LEGAL_AREA"
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "CONFLICT"
  | "DELIVERY_REJECTED"
  | "PARTNER_UNKNOWN"
  | "PARTNER_AGREEMENT_MISSING"
  | "PARTNER_INACTIVE"
  | "WRONG_RECIPIENT"
  | "ENGINE_UNAVAILABLE"
  | "SEARCH_UNAVAILABLE"
  | "STORE_UNAVAILABLE"
  | "AUDIT_UNAVAILABLE"
  | "AUTH_UNAVAILABLE"
  | "SERVICE_STARTING"
  | "TIMEOUT"
  | "INTERNAL"
  | "NETWORK_NOT_ALLOWED"
  | "HEADERS_TOO_LARGE"
  | "MALFORMED_REQUEST"
  | "REQUEST_TIMEOUT";

/** Base class of every expected failure; `code` is stable, `details` is safe to show the caller. */
export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.details = options?.details;
  }
}

/** Shorthand for the most common failure: input that does not parse. */
export const invalid = (message: string, details?: Record<string, unknown>) =>
  new AppError("VALIDATION_FAILED", message, { details });

/** Shorthand for an id that names nothing the caller may see. */
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
