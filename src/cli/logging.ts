// --log-format / --log-level, shared by every subcommand.
import { createLogger, type LogFormat, type Logger, type LogLevel } from "../observability/logger.ts";
import { IndusError } from "../core/errors.ts";
import { enumFlag } from "./args.ts";
import type { CliIo } from "./io.ts";

export const logFlags = {
  "log-format": { type: "string", description: "Log format: json | pretty (default: pretty on a TTY, else json)" },
  "log-level": { type: "string", description: "Log level: debug | info | warn | error | silent" },
} as const;

export function loggerFromFlags(io: CliIo, args: Record<string, unknown>, defaultLevel: LogLevel): Logger {
  const format: LogFormat = setting(io, args, "log-format", "INDUS_LOG_FORMAT", ["json", "pretty"] as const) ?? (io.stderr.isTTY ? "pretty" : "json");
  const level: LogLevel = setting(io, args, "log-level", "INDUS_LOG_LEVEL", ["debug", "info", "warn", "error", "silent"] as const) ?? defaultLevel;
  return createLogger({ format, level, write: (line) => io.stderr.write(line) });
}

/** The flag, else the environment variable; a bad value is named as the user wrote it (--log-level or INDUS_LOG_LEVEL). */
function setting<T extends string>(io: CliIo, args: Record<string, unknown>, flag: string, env: string, options: readonly T[]): T | undefined {
  if (args[flag] !== undefined) return enumFlag(flag, args[flag], options);
  const value = io.env[env];
  if (value === undefined || value === "") return undefined;
  if (!options.includes(value as T)) throw new IndusError("bad_flag", `${env} must be one of ${options.join(", ")}, got "${value}"`);
  return value as T;
}
