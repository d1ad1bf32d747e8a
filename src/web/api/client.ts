import { session, signOutReason } from "../auth/session.ts";

/** A failed API call: the problem document's code and message, and field errors when it names them. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: Array<{ path: string; message: string }>;
  constructor(status: number, code: string, message: string, fieldErrors: ApiError["fieldErrors"] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Reads a problem document (RFC 9457) defensively: any answer may come from a proxy instead. */
function readProblem(json: unknown): { code?: string; detail?: string; errors: ApiError["fieldErrors"] } {
  const p = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const errors = Array.isArray(p.errors)
    ? p.errors.flatMap((e: unknown) => {
        const o = (e ?? {}) as Record<string, unknown>;
        const path = text(o.path);
        const message = text(o.message);
        return path && message ? [{ path, message }] : [];
      })
    : [];
  const code = text(p.code);
  const detail = text(p.detail) ?? text(p.title);
  return { ...(code ? { code } : {}), ...(detail ? { detail } : {}), errors };
}

/** Whether an error is the cancellation of a stale request (not worth showing). */
export const isAbort = (err: unknown) => err instanceof DOMException && err.name === "AbortError";

/** Calls the service's API with the session's token; JSON in, JSON out, problems thrown as ApiError. */
export async function api<T>(
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: unknown,
  options: { signal?: AbortSignal; keepalive?: boolean; auth?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const token = session.value?.token;
  if (options.auth !== false && token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.keepalive ? { keepalive: true } : {}),
    credentials: "omit",
    cache: "no-store",
  });
  if (res.status === 204) return undefined as T;
  const raw = await res.text();
  let json: unknown;
  try {
    json = raw ? JSON.parse(raw) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = readProblem(json);
    if (res.status === 401 && options.auth !== false && session.value) {
      signOutReason.value = "Uw sessie is verlopen. Log opnieuw in.";
      session.value = null;
    }
    throw new ApiError(
      res.status,
      p.code ?? `HTTP_${res.status}`,
      p.detail ?? `De dienst antwoordde ${res.status}`,
      p.errors,
    );
  }
  return json as T;
}
