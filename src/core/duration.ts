// Durations as written in plans ("200ms", "30s", "2m", "1h30m") to and from milliseconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration; returns undefined when the text is not one. A bare number is not accepted. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  if (s === "0") return 0;
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y; // sticky: each unit must follow the previous one
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m || m.index !== pos) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = part.lastIndex;
  }
  return Math.round(total);
}

/** Formats milliseconds compactly: 1500 → "1.5s", 90000 → "1m30s", 200 → "200ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${sec ? `${sec}s` : ""}` || "0s";
}
