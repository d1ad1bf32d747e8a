import { pino } from "pino";

/** The application logger type (pino). */
export type Logger = pino.Logger;

/**
 * Creates the service logger. Log lines carry method, route pattern, status, duration and subject —
 * never bodies or query values; the redaction list is a second line of defence for mistakes.
 */
export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "klantherkenning" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          "body",
          "query",
          "*.body",
          "*.query",
          "req.headers.authorization",
          "headers.authorization",
          "authorization",
          "token",
          "*.name",
          "*.birthDate",
          "*.postcode",
          "*.houseNumber",
          "*.phone",
          "*.email",
          "*.q",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
