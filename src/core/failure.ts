// An unexpected exception as one line a user can read: its class and message, never a stack or source dump.

export function describeFailure(e: unknown): string {
  if (e instanceof Error) {
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    return `${name}${firstLine(e.message) || "(no message)"}`;
  }
  return firstLine(String(e));
}

/** Bun's errors may carry extra lines ("input: ...", "code: ..."): the first is the message. */
function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim();
}
