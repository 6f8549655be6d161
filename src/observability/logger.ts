// Structured logs: one JSON object per line on stderr (or pretty lines), via consola; never on the hot path.
// consola/core: the logger without its fancy reporter, whose module builds an Intl.Segmenter at load (~1 ms)
import { createConsola, type ConsolaInstance, type LogObject } from "consola/core";

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export type LogFormat = "json" | "pretty";
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const LEVELS: Record<LogLevel, number> = { silent: -999, error: 0, warn: 1, info: 3, debug: 4 };

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  write: (line: string) => void;
  now?: () => Date;
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const reporter = {
    log(obj: LogObject) {
      const [msg, fields] = obj.args as [string, LogFields | undefined];
      const level = obj.type === "log" ? "info" : obj.type;
      if (options.format === "json") {
        const line = { time: now().toISOString(), level: level.toUpperCase(), msg, ...fields };
        options.write(JSON.stringify(line, bigintSafe) + "\n");
      } else {
        const kv = Object.entries(fields ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ");
        options.write(`${now().toISOString().slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? " " + kv : ""}\n`);
      }
    },
  };
  const consola = createConsola({ level: LEVELS[options.level], reporters: [reporter] });
  return wrap(consola, {});
}

function wrap(consola: ConsolaInstance, base: LogFields): Logger {
  const merged = (fields?: LogFields) => ({ ...base, ...fields });
  return {
    debug: (msg, fields) => consola.debug(msg, merged(fields)),
    info: (msg, fields) => consola.info(msg, merged(fields)),
    warn: (msg, fields) => consola.warn(msg, merged(fields)),
    error: (msg, fields) => consola.error(msg, merged(fields)),
    child: (fields) => wrap(consola, merged(fields)),
  };
}

/** A logger that drops everything (local runs print tables, not logs, unless asked). */
export function createSilentLogger(): Logger {
  const noop = () => {};
  const self: Logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => self };
  return self;
}
