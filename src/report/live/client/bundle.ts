// Bundles the dashboard's browser script with Bun's bundler, as a macro: the result is a string baked in at build time.
// (Bun.build cannot run inside a macro: the bundler waits for the macro, so the CLI bundles it in a child process.)

export function dashboardScript(): string {
  const entry = `${import.meta.dir}/app.ts`;
  const built = Bun.spawnSync([process.execPath, "build", entry, "--target=browser", "--format=iife", "--minify"]);

  if (built.exitCode !== 0) throw new Error(`bundling ${entry} failed: ${built.stderr.toString()}`);
  return built.stdout.toString();
}
