// Shell commands in the docs: logical lines, words, and whether each `indus …` is one the CLI accepts.
import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { splitGlobalFlags } from "../../src/cli/global-flags.ts";

/** A block's commands: continuation lines joined, blank and comment-only lines dropped. */
export function logicalCommands(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s*\$\s+/, ""); // a "$ " prompt
    if (current === "" && (line.trim() === "" || line.trim().startsWith("#"))) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, " ");
      continue;
    }
    out.push((current + line).trim());
    current = "";
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Splits a command line into simple commands (at | || && ; &), each as words with quotes removed. */
export function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const end = close < 0 ? line.length : close;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === "$" && line[i + 1] === "(") {
      // a command substitution stays one word
      let depth = 0;
      let j = i;
      for (; j < line.length; j++) {
        if (line[j] === "(") depth++;
        else if (line[j] === ")" && --depth === 0) break;
      }
      word += line.slice(i, j + 1);
      inWord = true;
      i = j;
    } else if (c === "#" && !inWord) {
      break;
    } else if (/\s/.test(c)) {
      endWord();
    } else if (c === "|" || c === ";" || c === "&") {
      endCommand();
      if (line[i + 1] === c) i++;
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

// `indus`, `bin/indus`, `/usr/local/bin/indus`, `indus.exe`, or a systemd `ExecStart=/usr/local/bin/indus`
const INDUS = /^(?:Exec[A-Za-z]*=)?(?:\S*\/)?indus(?:\.exe)?$/;

/** The indus invocations in a command line: the words after `indus` (or `…/indus`, `ExecStart=…/indus`). */
export function indusInvocations(line: string): string[][] {
  const found: string[][] = [];
  for (const words of simpleCommands(line)) {
    let i = 0;
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) && !INDUS.test(words[i]!)) i++;
    const head = words[i];
    if (head !== undefined && INDUS.test(head)) found.push(words.slice(i + 1));
  }
  return found;
}

export type CommandDefs = Map<string, CommandDef<ArgsDef>>;

/** Problems with `indus <argv>` against the CLI's own definitions; [] when indus would accept it. */
export function invocationProblems(argv: readonly string[], defs: CommandDefs): string[] {
  // global flags before the command are handed to it, as the CLI does
  let split: ReturnType<typeof splitGlobalFlags>;
  try {
    split = splitGlobalFlags(argv);
  } catch (e) {
    return [(e as Error).message];
  }
  const [name, ...rest] = split.command === undefined ? [] : [split.command, ...split.rest];
  if (name === undefined) return ["no subcommand"];
  if (["--help", "-h", "help", "--version", "-v", "version"].includes(name)) return [];
  const def = defs.get(name);
  if (!def) return [`unknown subcommand "${name}"`];
  const args = Object.entries((def.args ?? {}) as ArgsDef);
  const flags = new Map<string, ArgDef>();
  for (const [flag, arg] of args) {
    if (arg.type === "positional") continue;
    flags.set(flag, arg);
    const aliases = "alias" in arg && arg.alias ? (Array.isArray(arg.alias) ? arg.alias : [arg.alias]) : [];
    for (const a of aliases) flags.set(a, arg);
    if (arg.type === "boolean") flags.set(`no-${flag}`, arg);
  }
  flags.set("help", { type: "boolean" });
  const positionals = args.filter(([, a]) => a.type === "positional");
  const problems: string[] = [];
  let given = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === "--") break;
    if (!word.startsWith("-") || word === "-") {
      given++;
      continue;
    }
    const flag = word.replace(/^--?/, "").split("=")[0]!;
    const arg = flags.get(flag);
    if (!arg) {
      problems.push(`indus ${name}: unknown flag ${word.split("=")[0]}`);
      continue;
    }
    if (arg.type !== "boolean" && !word.includes("=")) {
      if (rest[i + 1] === undefined) problems.push(`indus ${name}: ${word} needs a value`);
      i++;
    }
  }
  if (given > positionals.length) problems.push(`indus ${name}: ${given} arguments, at most ${positionals.length}`);
  const required = positionals.filter(([, a]) => a.required !== false).length;
  if (given < required) problems.push(`indus ${name}: missing ${positionals.map(([n]) => n.toUpperCase()).join(", ")}`);
  return problems;
}
