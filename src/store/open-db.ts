// Opens the store's SQLite file so that several indus processes may open it at once (WAL, busy waits, retries).
import { Database } from "bun:sqlite";

/** how long one process waits for another's lock before giving up (also the open's retry budget) */
export const BUSY_TIMEOUT_MS = 10_000;

/** True for SQLITE_BUSY / SQLITE_LOCKED and their extended codes ("database is locked"). */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string") return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
  return /database is locked|database table is locked/.test(String((e as Error)?.message));
}

/**
 * Runs `fn`, retrying while another process holds a lock that busy_timeout does not wait for
 * (SQLite returns SQLITE_BUSY at once where waiting could deadlock, e.g. switching to WAL or
 * reading a WAL index another process is rebuilding). Backs off up to `budgetMs` in all.
 */
export function retryBusy<T>(fn: () => T, budgetMs = BUSY_TIMEOUT_MS): T {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      // a retry back-off, not synchronisation: the other process's lock is held for milliseconds
      Bun.sleepSync(Math.min(5 * 2 ** Math.min(attempt, 5), 100));
    }
  }
}

/** Opens (creating) the database file with the settings every store connection needs. */
export function openDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  try {
    // first of all: every later statement (even journal_mode) may need a lock another process holds
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    retryBusy(() => {
      // journal_mode=WAL is persistent: set it only once (switching needs an exclusive lock)
      const mode = (db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
      if (mode.toLowerCase() !== "wal") db.run("PRAGMA journal_mode = WAL");
    });
    // WAL + NORMAL: a commit survives a killed process (only an OS crash can lose the last seconds)
    db.run("PRAGMA synchronous = NORMAL");
    db.run("PRAGMA foreign_keys = ON");
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
