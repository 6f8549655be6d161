// Hands out a data file's rows to iterations: sequential, random or unique, exactly split across the run's parts.
import type { DataOrder } from "../../plan/types.ts";

/** Which slice of the run this feed serves: part `index` of `count` (agents × workers). */
export interface Part {
  index: number;
  count: number;
}

export interface DataFeed {
  readonly columns: readonly string[];
  /**
   * The row for the next iteration, or null when `unique` rows have run out.
   * `arrival` (open model) is the iteration's index in the whole run: it picks the row directly,
   * so the rows follow the single-process order however the arrivals are split.
   */
  next(arrival?: number): readonly string[] | null;
}

/*
 * Rows are per iteration: each iteration takes one row at its start and sees its columns as
 * variables. Closed model, part p of P: sequential takes rows p, p+P, p+2P, … wrapping around at
 * the end; unique takes the same but never wraps (the part's VUs stop when it runs out); random
 * draws any row each time. Open model: arrival k takes row k (mod rows for sequential).
 */
export function createDataFeed(columns: readonly string[], rows: readonly (readonly string[])[], order: DataOrder, part: Part): DataFeed {
  let taken = 0;
  return {
    columns,
    next(arrival) {
      if (rows.length === 0) return null;
      if (order === "random") return rows[Math.floor(Math.random() * rows.length)]!;
      const k = arrival ?? part.index + part.count * taken++;
      if (order === "unique") return k < rows.length ? rows[k]! : null;
      return rows[k % rows.length]!;
    },
  };
}
