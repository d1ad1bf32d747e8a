import { describe, expect, it } from "vitest";
import { startingResponse } from "./starting.ts";

const at = (path: string) => startingResponse(new Request(`http://127.0.0.1:8080${path}`));

describe("answers while the service starts", () => {
  it("is alive, not ready, and asks every other caller to come back shortly", async () => {
    expect(at("/health/live").status).toBe(200);
    expect(at("/health/ready").status).toBe(503);
    const res = at("/v1/search");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.json()).toMatchObject({ code: "SERVICE_STARTING", status: 503, instance: "/v1/search" });
  });
});
