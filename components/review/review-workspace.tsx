"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { LineSelection, SelectLine } from "@/components/diff/diff-rows";
import { DiffView, type DiffViewHandle } from "@/components/diff/diff-view";
import { FileTree } from "@/components/diff/file-tree";
import { parsePatch } from "@/components/diff/parse-patch";
import {
  buildRows,
  commentsOutside,
  type ReviewFile,
  startsCollapsed,
  type DiffView as View,
} from "@/components/diff/rows";
import { CommentCard, CommentThread, lineLabel, type ReviewCommentView } from "./comment-thread";
import { SelectionBar } from "./selection-bar";
import { useExpansions } from "./use-expansions";

export function ReviewWorkspace({
  taskId,
  runId,
  files,
  patch,
  comments,
  view,
  canComment,
  viewer,
  headSha,
}: {
  taskId: string;
  /** The commit the diff ends at: expanded context is read from it. */
  headSha: string | null;
  /** The line of work (agent's branch) shown: comments are left on it. */
  runId: string | null;
  files: ReviewFile[];
  patch: string;
  comments: ReviewCommentView[];
  view: View;
  canComment: boolean;
  viewer: { id: string; isAdmin: boolean };
}) {
  const patches = useMemo(() => parsePatch(patch), [patch]);
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [selection, setSelection] = useState<LineSelection | null>(null);
  const [composing, setComposing] = useState<LineSelection | null>(null);
  const [activeFile, setActiveFile] = useState<number | null>(null);
  const diff = useRef<DiffViewHandle>(null);
  const { expansions, errors: expandErrors, expand } = useExpansions(taskId, headSha);

  // An outdated comment's lines are gone from the branch: it is listed beside the diff, not on a line.
  const placed = useMemo(() => comments.filter((c) => c.anchor?.state !== "outdated"), [comments]);
  const outdated = useMemo(() => comments.filter((c) => c.anchor?.state === "outdated"), [comments]);
  const rows = useMemo(
    () =>
      buildRows({
        files,
        patches,
        view,
        toggled,
        comments: placed,
        composing: composing ? { path: composing.path, side: composing.side, lineEnd: composing.end } : null,
        expansions,
      }),
    [files, patches, view, toggled, placed, composing, expansions],
  );
  const byId = useMemo(() => new Map(comments.map((c) => [c.id, c])), [comments]);
  const outside = useMemo(() => commentsOutside(rows, placed, files), [rows, placed, files]);
  const commentCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of comments) counts.set(c.path, (counts.get(c.path) ?? 0) + 1);
    return counts;
  }, [comments]);

  const open = useCallback(
    (path: string) => {
      const index = files.findIndex((f) => f.path === path);
      const file = files[index];
      return file ? startsCollapsed(file, patches[index]) === toggled.has(path) : false;
    },
    [files, patches, toggled],
  );
  const toggle = useCallback((path: string) => {
    setToggled((current) => {
      const next = new Set(current);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  }, []);
  const selectLine = useCallback<SelectLine>((path, line, shift, side) => {
    setSelection((current) => {
      // A range stays on one side: removed lines and the branch's lines are numbered differently.
      const same = current && current.path === path && current.side === side;
      if (shift && same) {
        return { path, side, start: Math.min(current.start, line), end: Math.max(current.end, line) };
      }
      if (same && current.start === line && current.end === line) return null;
      return { path, side, start: line, end: line };
    });
  }, []);

  // Keyboard: j/k move between files, c comments on the selected lines, Escape clears the selection.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if (target?.closest("input, textarea, select, [contenteditable], [role=dialog]")) return;
      if (event.key === "j" || event.key === "k") {
        const next = Math.min(
          files.length - 1,
          Math.max(0, (activeFile ?? -1) + (event.key === "j" ? 1 : -1)),
        );
        setActiveFile(next);
        diff.current?.scrollToFile(next);
      } else if (event.key === "c" && selection && canComment) {
        event.preventDefault();
        setComposing(selection);
      } else if (event.key === "Escape") {
        setSelection(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [files.length, activeFile, selection, canComment]);

  if (files.length === 0) {
    return (
      <p className="px-4 py-10 text-center text-sm text-muted-foreground">
        No changes to show here. The branch has no differences from its base in this view.
      </p>
    );
  }

  return (
    <div className="grid h-full min-h-0 grid-cols-[14rem_minmax(0,1fr)]">
      <div className="min-h-0 overflow-y-auto border-r">
        <FileTree
          files={files}
          commentCounts={commentCounts}
          active={activeFile}
          onSelect={(index) => {
            setActiveFile(index);
            diff.current?.scrollToFile(index);
          }}
        />
        {outdated.length > 0 ? (
          <div className="grid min-w-0 gap-2 border-t p-2" data-testid="outdated-comments">
            <p className="px-1 text-xs text-muted-foreground">
              Outdated: the agent changed these lines after the comments were written
            </p>
            {outdated.map((c) => (
              // min-w-0: the quoted code scrolls inside the card instead of widening the column.
              <div key={c.id} className="min-w-0">
                <p className="truncate px-1 font-mono text-[11px] text-muted-foreground">
                  {c.path}, {lineLabel(c)}
                </p>
                <CommentCard comment={c} taskId={taskId} viewer={viewer} />
              </div>
            ))}
          </div>
        ) : null}
        {outside.length > 0 ? (
          <div className="grid gap-2 border-t p-2">
            <p className="px-1 text-xs text-muted-foreground">Comments on lines not in this view</p>
            {outside.map((id) => {
              const c = byId.get(id);
              return c ? (
                <div key={id}>
                  <p className="truncate px-1 font-mono text-[11px] text-muted-foreground">
                    {c.path}, {lineLabel(c)}
                  </p>
                  <CommentCard comment={c} taskId={taskId} viewer={viewer} />
                </div>
              ) : null;
            })}
          </div>
        ) : null}
      </div>
      <div className="flex min-h-0 flex-col">
        <div className="min-h-0 flex-1">
          <DiffView
            handle={diff}
            rows={rows}
            files={files}
            open={open}
            selection={selection}
            onSelectLine={selectLine}
            onToggleFile={toggle}
            onExpand={expand}
            expandErrors={expandErrors}
            renderThread={(row) => {
              const path = files[row.file]?.path ?? "";
              return (
                <CommentThread
                  comments={row.commentIds.map((id) => byId.get(id)).filter((c) => c !== undefined)}
                  composing={
                    row.composing && composing
                      ? { path, side: composing.side, lineStart: composing.start, lineEnd: composing.end }
                      : null
                  }
                  taskId={taskId}
                  runId={runId}
                  viewer={viewer}
                  onCloseForm={() => {
                    setComposing(null);
                    setSelection(null);
                  }}
                />
              );
            }}
          />
        </div>
        {selection ? (
          <SelectionBar
            taskId={taskId}
            runId={runId}
            selection={selection}
            canComment={canComment}
            onComment={() => setComposing(selection)}
            onClear={() => setSelection(null)}
          />
        ) : null}
      </div>
    </div>
  );
}
