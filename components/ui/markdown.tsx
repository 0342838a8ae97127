import type * as React from "react";

// A small Markdown renderer for the prompt preview. It builds React elements (never HTML strings), so
// whatever the prompt holds is shown as text: safe by construction, no dependency needed.

function inline(text: string, key: string): React.ReactNode[] {
  const out: React.ReactNode[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let index = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = match[0];
    const k = `${key}-${index++}`;
    if (match[1])
      out.push(
        <code key={k} className="rounded bg-muted px-1 font-mono text-[0.85em]">
          {token.slice(1, -1)}
        </code>,
      );
    else if (match[2]) out.push(<strong key={k}>{inline(token.slice(2, -2), k)}</strong>);
    else if (match[3]) out.push(<em key={k}>{inline(token.slice(1, -1), k)}</em>);
    else {
      const [, label = "", href = ""] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      // Only web links are clickable; anything else (javascript:, data:) stays text.
      out.push(
        /^https?:\/\//i.test(href) ? (
          <a key={k} href={href} target="_blank" rel="noreferrer noopener" className="text-accent underline">
            {label}
          </a>
        ) : (
          token
        ),
      );
    }
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
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
