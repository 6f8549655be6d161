/** @jsxImportSource preact */
// A change against the baseline run, next to a value: red when worse beyond the tolerance, green when better.
import { formatChange, type Delta } from "../compare.ts";

export function DeltaTag({ delta, format }: { delta: Delta | undefined; format: (n: number) => string }) {
  if (!delta) return null;
  const text = formatChange(delta);
  if (text === "") return null;
  const cls = delta.regression ? "delta worse" : delta.improvement ? "delta better" : "delta";
  return (
    <span class={cls} title={`baseline: ${format(delta.baseline)}`}>
      {text}
    </span>
  );
}
