// Which process owns a running run, and whether it is still alive: only a dead owner's runs are marked aborted.
import { hostname } from "node:os";

export interface Owner {
  pid: number;
  host: string;
}

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname() };
}

/** A process on this host that signal 0 reaches (EPERM: it exists, under another user). Another host's cannot be asked. */
export function ownerAlive(owner: { pid: number | null; host: string | null }): boolean {
  if (owner.pid === null || owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
