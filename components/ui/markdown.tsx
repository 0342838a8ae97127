import type * as React from "react";
import { type InlineToken, parseInline } from "@/lib/markdown/inline";

// A small Markdown renderer for prompts, summaries and the timeline. It builds React elements (never HTML strings), so
// whatever the prompt holds is shown as text: safe by construction, no dependency needed.

function render(tokens: InlineToken[], key: string): React.ReactNode[] {
  return tokens.map((token, index) => {
    const k = `${key}-${index}`;
    switch (token.type) {
      case "text":
        return token.text;
      case "code":
        return (
          <code key={k} className="rounded bg-muted px-1 font-mono text-[0.85em]">
            {token.text}
          </code>
        );
      case "strong":
        return <strong key={k}>{render(token.children, k)}</strong>;
      case "em":
        return <em key={k}>{render(token.children, k)}</em>;
      default:
        return (
          <a
            key={k}
            href={token.href}
            target="_blank"
            rel="noreferrer noopener"
            className="text-accent underline"
          >
            {token.label}
          </a>
        );
    }
  });
}

function inline(text: string, key: string): React.ReactNode[] {
  return render(parseInline(text), key);
}

export function Markdown({ source }: { source: string }) {
  const blocks: React.ReactNode[] = [];
  const lines = source.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const key = `b${i}`;
    if (/^```/.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^```/.test(lines[i] ?? "")) code.push(lines[i++] ?? "");
      i++;
      blocks.push(
        <pre key={key} className="overflow-x-auto rounded bg-muted px-3 py-2 font-mono text-xs">
          {code.join("\n")}
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      // Inside a form's preview, h4–h6 keep the page's own heading outline intact.
      const Tag = (["h4", "h5", "h6"] as const)[(heading[1]?.length ?? 1) - 1] ?? "h6";
      blocks.push(
        <Tag key={key} className={`${Tag === "h4" ? "text-base" : "text-sm"} font-semibold`}>
          {inline(heading[2] ?? "", key)}
        </Tag>,
      );
      i++;
      continue;
    }
    const listItem = /^\s*([-*+]|\d+[.)])\s+/;
    if (listItem.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      while (i < lines.length && listItem.test(lines[i] ?? ""))
        items.push((lines[i++] ?? "").replace(listItem, ""));
      const List = ordered ? "ol" : "ul";
      blocks.push(
        <List key={key} className={`${ordered ? "list-decimal" : "list-disc"} grid gap-0.5 pl-5`}>
          {items.map((item, n) => (
            <li key={n}>{inline(item, `${key}-${n}`)}</li>
          ))}
        </List>,
      );
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? "").trim() &&
      !/^(```|#{1,3}\s)/.test(lines[i] ?? "") &&
      !listItem.test(lines[i] ?? "")
    )
      paragraph.push(lines[i++] ?? "");
    blocks.push(<p key={key}>{inline(paragraph.join(" "), key)}</p>);
  }
  if (blocks.length === 0) return <p className="text-muted-foreground">Nothing to preview yet.</p>;
  return <div className="grid gap-2 text-sm leading-relaxed">{blocks}</div>;
}
