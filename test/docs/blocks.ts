// Code blocks of the docs (README.md, docs/guides/*.md): which are commands to run, files to write, plans to check.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface CodeBlock {
  /** repo-relative file */
  doc: string;
  /** 1-based line of the opening fence */
  line: number;
  /** "sh", "yaml", "text", … */
  lang: string;
  /** ```sh runnable: run by test/docs/commands.test.ts */
  runnable: boolean;
  /** ```sh runnable exit=1: the exit code the last command must have (others must exit 0) */
  exit: number;
  /** ```yaml file=plan.yaml: written into the sandbox before the doc's commands run */
  file: string | undefined;
  /** the words after the language, and those of an HTML comment right before the fence */
  info: string;
  text: string;
}

/** The docs whose commands are shown to users, repo-relative. */
export function docFiles(root: string): string[] {
  const guides = readdirSync(join(root, "docs", "guides"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/guides/${f}`);
  return ["README.md", ...guides];
}

/**
 * Fenced blocks with their info strings. An HTML comment right before a fence may carry the same
 * words as the info string (`<!-- runnable exit=1 -->`), for renderers that show the info string.
 */
export function codeBlocks(root: string, doc: string): CodeBlock[] {
  const lines = readFileSync(join(root, doc), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = "", fence = "```", lang = "", rest = ""] = open;
    const comment = /^\s*<!--\s*(.*?)\s*-->\s*$/.exec(lines[i - 1] ?? "")?.[1] ?? "";
    const words = `${rest} ${comment}`.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.trim().startsWith(fence[0]!.repeat(fence.length)) && l.trim().replace(/[`~]/g, "") === "") break;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    blocks.push({
      doc,
      line: i + 1,
      lang: lang.toLowerCase(),
      runnable: /(^|\s)runnable(\s|$)/.test(words),
      exit: Number(/(?:^|\s)exit=(\d+)/.exec(words)?.[1] ?? 0),
      file: /(?:^|\s)file=(\S+)/.exec(words)?.[1],
      info: words,
      text: body.join("\n"),
    });
    i = j;
  }
  return blocks;
}

export const SHELL_LANGS = new Set(["sh", "bash", "shell", "console", "zsh", "powershell", "ps1", "ini", "systemd"]);
