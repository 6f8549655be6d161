// Which environment variables a script reads (env.NAME, env["NAME"]): only those travel with the plan, as for {{env.NAME}}.

// process.env, Bun.env and import.meta.env are the agent's own environment (and what bundled packages read): never sent
const ENV_READ = /(?<!\bprocess\.|\bBun\.|\bmeta\.)\benv\s*(?:\?\.|\.)\s*([A-Za-z_][A-Za-z0-9_]*)|(?<!\bprocess\.|\bBun\.|\bmeta\.)\benv\s*(?:\?\.)?\[\s*["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]\s*\]/g;

/**
 * The names a bundle reads from `env`, found in its text as the plan's templates are: a name built at run
 * time (env[name]) is not found, and reads undefined on agents. The whole environment never travels.
 */
export function scriptEnvNames(code: string): string[] {
  const names = new Set<string>();
  for (const m of code.matchAll(ENV_READ)) names.add((m[1] ?? m[2])!);
  return [...names].sort();
}
