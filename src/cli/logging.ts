// --log-format / --log-level, shared by every subcommand.
import { createLogger, type LogFormat, type Logger, type LogLevel } from "../observability/logger.ts";
import { enumFlag } from "./args.ts";
import type { CliIo } from "./io.ts";

export const logFlags = {
  "log-format": { type: "string", description: "Log format: json | pretty (default: pretty on a TTY, else json)" },
  "log-level": { type: "string", description: "Log level: debug | info | warn | error | silent" },
} as const;

export function loggerFromFlags(io: CliIo, args: Record<string, unknown>, defaultLevel: LogLevel): Logger {
  const format: LogFormat =
    enumFlag("log-format", args["log-format"] ?? io.env.INDUS_LOG_FORMAT, ["json", "pretty"] as const) ??
    (io.stderr.isTTY ? "pretty" : "json");
  const level: LogLevel =
    enumFlag("log-level", args["log-level"] ?? io.env.INDUS_LOG_LEVEL, ["debug", "info", "warn", "error", "silent"] as const) ??
    defaultLevel;
  return createLogger({ format, level, write: (line) => io.stderr.write(line) });
}
