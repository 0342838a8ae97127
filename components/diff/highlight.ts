// A small line tokenizer for syntax colours in diffs: comments, strings, numbers and keywords for the
// common languages. Chosen over a highlighting library on purpose: no dependency, a few KB, and fast
// enough to colour only the rows on screen. It works line by line, so a block comment or a template
// string that spans lines is coloured on its first line only — the diff stays readable either way.

export type TokenKind = "plain" | "comment" | "string" | "number" | "keyword";
export interface Token {
  kind: TokenKind;
  text: string;
}

interface Language {
  keywords: Set<string>;
  lineComment: string[];
  blockComment?: [string, string];
  quotes: string;
}

const words = (s: string) => new Set(s.split(" "));

const JS: Language = {
  keywords: words(
    "as async await break case catch class const continue debugger default delete do else enum export extends false finally for from function if implements import in instanceof interface let new null of private protected public readonly return static super switch this throw true try type typeof undefined var void while with yield",
  ),
  lineComment: ["//"],
  blockComment: ["/*", "*/"],
  quotes: "\"'`",
};
const PY: Language = {
  keywords: words(
    "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self",
  ),
  lineComment: ["#"],
  quotes: "\"'",
};
const GO: Language = {
  keywords: words(
    "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false",
  ),
  lineComment: ["//"],
  blockComment: ["/*", "*/"],
  quotes: "\"'`",
};
const RUST: Language = {
  keywords: words(
    "as async await break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while",
  ),
  lineComment: ["//"],
  blockComment: ["/*", "*/"],
  quotes: '"',
};
const C_LIKE: Language = {
  keywords: words(
    "abstract auto bool break case catch char class const continue default do double else enum extern false final float for goto if int long namespace new null nullptr package private protected public return short signed sizeof static struct switch template this throw true try typedef union unsigned using var virtual void volatile while",
  ),
  lineComment: ["//"],
  blockComment: ["/*", "*/"],
  quotes: "\"'",
};
const SHELL: Language = {
  keywords: words("if then else elif fi for in do done while case esac function return export local echo"),
  lineComment: ["#"],
  quotes: "\"'",
};
const DATA: Language = { keywords: words("true false null"), lineComment: ["#"], quotes: "\"'" };
const CSS: Language = { keywords: new Set(), lineComment: [], blockComment: ["/*", "*/"], quotes: "\"'" };
const SQL: Language = {
  keywords: words(
    "select from where and or not insert into values update set delete create table index alter drop join left right inner on as group by order limit null primary key references default",
  ),
  lineComment: ["--"],
  blockComment: ["/*", "*/"],
  quotes: "'\"",
};

const BY_EXTENSION: Record<string, Language> = {
  js: JS,
  jsx: JS,
  mjs: JS,
  cjs: JS,
  ts: JS,
  tsx: JS,
  mts: JS,
  cts: JS,
  json: DATA,
  py: PY,
  go: GO,
  rs: RUST,
  sh: SHELL,
  bash: SHELL,
  zsh: SHELL,
  yml: DATA,
  yaml: DATA,
  toml: DATA,
  c: C_LIKE,
  h: C_LIKE,
  cc: C_LIKE,
  cpp: C_LIKE,
  hpp: C_LIKE,
  java: C_LIKE,
  kt: C_LIKE,
  cs: C_LIKE,
  swift: C_LIKE,
  php: C_LIKE,
  rb: PY,
  css: CSS,
  scss: CSS,
  sql: SQL,
};

export function languageOf(path: string): Language | null {
  const name = path.split("/").pop() ?? "";
  if (name === "Dockerfile" || name === "Makefile") return SHELL;
  const ext = name.includes(".") ? name.split(".").pop()?.toLowerCase() : undefined;
  return (ext && BY_EXTENSION[ext]) || null;
}

const WORD = /[A-Za-z_$][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)n?/y;

export function tokenize(text: string, language: Language | null): Token[] {
  if (!language || text.length > 2000) return [{ kind: "plain", text }];
  const tokens: Token[] = [];
  let plain = "";
  const push = (kind: TokenKind, value: string) => {
    if (plain) tokens.push({ kind: "plain", text: plain });
    plain = "";
    tokens.push({ kind, text: value });
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (language.lineComment.some((c) => text.startsWith(c, i))) {
      push("comment", text.slice(i));
      break;
    }
    const block = language.blockComment;
    if (block && text.startsWith(block[0], i)) {
      const close = text.indexOf(block[1], i + block[0].length);
      const end = close === -1 ? text.length : close + block[1].length;
      push("comment", text.slice(i, end));
      i = end;
      continue;
    }
    if (language.quotes.includes(ch)) {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === "\\" ? 2 : 1;
      push("string", text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      if (language.keywords.has(word[0])) push("keyword", word[0]);
      else plain += word[0];
      i += word[0].length;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      push("number", number[0]);
      i += number[0].length;
      continue;
    }
    plain += ch;
    i++;
  }
  if (plain) tokens.push({ kind: "plain", text: plain });
  return tokens;
}

export const TOKEN_CLASSES: Record<TokenKind, string> = {
  plain: "",
  comment: "text-muted-foreground italic",
  string: "text-emerald-700 dark:text-emerald-300",
  number: "text-amber-700 dark:text-amber-300",
  keyword: "text-violet-700 dark:text-violet-300",
};
