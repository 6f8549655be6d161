// Where the worker entry lives, under `bun run`/`bun test` and inside the `bun build --compile` binary.

/**
 * From source, this file sits beside worker.ts. Bundled into the compiled binary, import.meta.url is
 * the binary's entry (`/$bunfs/root/indus`), and the worker — built as a second entrypoint, see
 * scripts/build.ts — keeps its path relative to src/ (`/$bunfs/root/engine/workers/worker.js`; Bun
 * maps the .ts name to it).
 */
export function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith("/worker-url.ts") ? new URL("./worker.ts", here) : new URL("./engine/workers/worker.ts", here);
}
