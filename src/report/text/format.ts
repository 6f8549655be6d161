// Number and time formatting shared by the text report's tables; "-" stands for "no samples yet".

/** A fixed-decimals number, or "-" for NaN/Infinity. */
export function fixed(n: number, decimals: number): string {
  return Number.isFinite(n) ? n.toFixed(decimals) : "-";
}

/** A ratio as a percentage with 2 decimals: 0.0123 → "1.23%". */
export function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(2)}%` : "-";
}

/** Elapsed time in whole seconds: "8s", past a minute "1m30s", past an hour "1h2m0s". */
export function elapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (!Number.isFinite(total)) return "-";
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** Milliseconds rounded to whole ms with the unit: 312.4 → "312ms". */
export function wholeMs(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)}ms` : "-";
}

export type Align = "left" | "right";

/**
 * Lays out rows of cells in columns as wide as their widest cell, two spaces apart.
 * No trailing spaces: the last column is never padded on the right.
 */
export function alignColumns(rows: string[][], align: Align[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const last = i === row.length - 1;
        const width = widths[i] ?? 0;
        if ((align[i] ?? "left") === "right") return cell.padStart(width);
        return last ? cell : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd(),
  );
}
