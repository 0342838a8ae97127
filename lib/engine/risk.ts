// Risky commands: an agent's patterns (regular expressions, one per line in its settings) name the bash
// commands that must wait for a person's approval before they run.

const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, "i");
    } catch {
      regex = null; // an invalid pattern matches nothing; the agent form rejects them anyway
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

const ANSI_C_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  v: "\v",
};

/** `$IFS`, `${IFS}`, and the empty expansions `$@`, `$*`, `${@}`, `${*}` at `i`: [length, replacement]. */
function expansionAt(command: string, i: number): [number, string] | null {
  const ifs = /^\$(?:\{IFS\}|IFS(?![A-Za-z0-9_]))/.exec(command.slice(i, i + 6));
  if (ifs) return [ifs[0].length, " "];
  // The bash tool runs each command in a fresh shell without positional parameters: these expand to "".
  const empty = /^\$(?:[@*]|\{[@*]\})/.exec(command.slice(i, i + 4));
  if (empty) return [empty[0].length, ""];
  return null;
}

/** Decodes the body of a `$'…'` string from `i` (just after the opening quote); returns [text, end]. */
function ansiC(command: string, start: number): [string, number] {
  let out = "";
  let i = start;
  while (i < command.length && command[i] !== "'") {
    if (command[i] !== "\\" || i + 1 >= command.length) {
      out += command[i++];
      continue;
    }
    const next = command[i + 1] as string;
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(command.slice(i + 1, i + 4));
    const octal = /^[0-7]{1,3}/.exec(command.slice(i + 1, i + 4));
    if (hex) {
      out += String.fromCharCode(Number.parseInt(hex[1] as string, 16));
      i += 1 + hex[0].length;
    } else if (octal) {
      out += String.fromCharCode(Number.parseInt(octal[0], 8));
      i += 1 + octal[0].length;
    } else {
      out += ANSI_C_ESCAPES[next] ?? next; // \\ \' \" \? and unknown escapes: the character itself
      i += 2;
    }
  }
  return [out, i + 1];
}

/**
 * The command with the shell's quoting taken out, roughly as bash would see the words: quotes that only
 * delimit are dropped (`git 'push'`, `r''m`, `$'rm'`), backslash escapes and line continuations are
 * undone (`\rm`, `g\it`), `$IFS`/`${IFS}` become a space and runs of whitespace one space. A cheap
 * approximation for matching patterns, not a shell parser: approvals are a convenience, the OS sandbox
 * is the boundary.
 */
export function normalizeCommand(command: string): string {
  let out = "";
  let i = 0;
  let quote: "'" | '"' | null = null;
  while (i < command.length) {
    const c = command[i] as string;
    const next = command[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
      i++;
    } else if (c === "\\" && next === "\n") {
      i += 2; // a line continuation joins the words around it
    } else if (c === "\\" && next === "\r" && command[i + 2] === "\n") {
      i += 3;
    } else if (c === "\\" && next !== undefined) {
      // Outside quotes a backslash escapes any character; inside "…" only these.
      if (quote === null || '$`"\\'.includes(next)) {
        out += next;
      } else {
        out += c + next;
      }
      i += 2;
    } else if (c === "$" && expansionAt(command, i)) {
      const [length, replacement] = expansionAt(command, i) as [number, string];
      out += replacement;
      i += length;
    } else if (quote === null && c === "$" && next === "'") {
      const [text, end] = ansiC(command, i + 2);
      out += text;
      i = end;
    } else if (quote === null && c === "$" && next === '"') {
      quote = '"'; // $"…" is a translatable string: the same as "…" here
      i += 2;
    } else if (c === '"' || (quote === null && c === "'")) {
      quote = quote === null ? c : null;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\s+/g, " ").trim();
}

/**
 * The first pattern (case-insensitive) that matches the command, or null. Invalid and blank patterns
 * are skipped. Each pattern is tried on the command as written, with line continuations joined (so
 * `rm \⏎ -rf` is still caught), and normalised (see normalizeCommand: `git 'push'`, `\rm`, `r''m`,
 * `${IFS}`…), so quoting alone doesn't slip a command past its pattern.
 */
export function matchRiskyPattern(command: string, patterns: readonly string[]): string | null {
  const joined = command.replace(/\\\r?\n/g, " ");
  const normalized = normalizeCommand(command);
  const forms = [...new Set([command, joined, normalized])];
  for (const pattern of patterns) {
    if (!pattern.trim()) continue;
    const regex = compile(pattern);
    if (!regex) continue;
    if (forms.some((form) => regex.test(form))) return pattern;
  }
  return null;
}
