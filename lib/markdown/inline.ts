// Inline Markdown as tokens, free of React so the rule can be tested: code spans, **strong**, *emphasis*
// and _emphasis_, and [links](https://…). An underscore inside a word (ANTHROPIC_API_KEY, snake_case)
// never opens or closes emphasis, as in CommonMark; asterisks may (un*frigging*believable).

export type InlineToken =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; children: InlineToken[] }
  | { type: "em"; children: InlineToken[] }
  | { type: "link"; label: string; href: string };

const WORD = String.raw`[\p{L}\p{N}_]`;
const PATTERN = new RegExp(
  [
    "(`[^`]+`)",
    String.raw`(\*\*[^*]+\*\*)`,
    String.raw`(\*[^*\s](?:[^*]*[^*\s])?\*|(?<!${WORD})_[^_\s](?:[^_]*[^_\s])?_(?!${WORD}))`,
    String.raw`(\[[^\]]+\]\([^)\s]+\))`,
  ].join("|"),
  "gu",
);

export function parseInline(text: string): InlineToken[] {
  const out: InlineToken[] = [];
  const push = (token: InlineToken) => {
    const prev = out[out.length - 1];
    if (token.type === "text" && prev?.type === "text") prev.text += token.text;
    else out.push(token);
  };
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    const at = match.index ?? 0;
    if (at > last) push({ type: "text", text: text.slice(last, at) });
    const token = match[0];
    if (match[1]) push({ type: "code", text: token.slice(1, -1) });
    else if (match[2]) push({ type: "strong", children: parseInline(token.slice(2, -2)) });
    else if (match[3]) push({ type: "em", children: parseInline(token.slice(1, -1)) });
    else {
      const [, label = "", href = ""] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      // Only web links are clickable; anything else (javascript:, data:) stays text.
      push(/^https?:\/\//i.test(href) ? { type: "link", label, href } : { type: "text", text: token });
    }
    last = at + token.length;
  }
  if (last < text.length) push({ type: "text", text: text.slice(last) });
  return out;
}
