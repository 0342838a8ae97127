"use client";

import {
  FileMinus,
  FilePen,
  FilePlus,
  FileSymlink,
  Folder,
  type LucideIcon,
  MessageSquare,
} from "lucide-react";
import { cn } from "@/lib/utils";
import { FileCounts } from "./diff-rows";
import type { ReviewFile } from "./rows";

const ICONS: Record<ReviewFile["status"], LucideIcon> = {
  added: FilePlus,
  modified: FilePen,
  deleted: FileMinus,
  renamed: FileSymlink,
  copied: FileSymlink,
  type_changed: FilePen,
};

const ICON_TONE: Record<ReviewFile["status"], string> = {
  added: "text-emerald-600",
  modified: "text-muted-foreground",
  deleted: "text-red-600",
  renamed: "text-blue-600",
  copied: "text-blue-600",
  type_changed: "text-amber-600",
};

/** Files grouped by folder (git lists them sorted, so each folder's files are together). */
function groups(files: ReviewFile[]) {
  const out: Array<{ dir: string; items: Array<{ file: ReviewFile; index: number }> }> = [];
  files.forEach((file, index) => {
    const slash = file.path.lastIndexOf("/");
    const dir = slash === -1 ? "" : file.path.slice(0, slash);
    const last = out.at(-1);
    if (last && last.dir === dir) last.items.push({ file, index });
    else out.push({ dir, items: [{ file, index }] });
  });
  return out;
}

export function FileTree({
  files,
  commentCounts,
  active,
  onSelect,
}: {
  files: ReviewFile[];
  commentCounts: Map<string, number>;
  active: number | null;
  onSelect: (index: number) => void;
}) {
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return (
    <nav aria-label="Changed files" className="text-xs">
      <div className="flex items-center justify-between px-3 py-2 text-muted-foreground">
        <span>
          {files.length} {files.length === 1 ? "file" : "files"}
        </span>
        <span className="tabular">
          <span className="text-emerald-700 dark:text-emerald-400">+{additions.toLocaleString("en")}</span>{" "}
          <span className="text-red-700 dark:text-red-400">−{deletions.toLocaleString("en")}</span>
        </span>
      </div>
      <ul className="pb-2">
        {groups(files).map((group) => (
          <li key={group.dir || "/"}>
            {group.dir ? (
              <div
                className="flex items-center gap-1.5 px-3 pt-2 pb-0.5 text-muted-foreground"
                title={group.dir}
              >
                <Folder className="size-3.5 shrink-0" aria-hidden />
                <span className="truncate font-mono">{group.dir}/</span>
              </div>
            ) : null}
            <ul>
              {group.items.map(({ file, index }) => {
                const Icon = ICONS[file.status];
                const name = file.path.slice(group.dir ? group.dir.length + 1 : 0);
                const comments = commentCounts.get(file.path) ?? 0;
                return (
                  <li key={file.path}>
                    <button
                      type="button"
                      onClick={() => onSelect(index)}
                      aria-current={active === index ? "true" : undefined}
                      className={cn(
                        "flex w-full items-center gap-1.5 py-1 pr-3 text-left hover:bg-muted",
                        group.dir ? "pl-6" : "pl-3",
                        active === index && "bg-muted",
                      )}
                      title={`${file.path} (${file.status})`}
                    >
                      <Icon className={cn("size-3.5 shrink-0", ICON_TONE[file.status])} aria-hidden />
                      <span
                        className={cn(
                          "min-w-0 truncate font-mono",
                          file.status === "deleted" && "line-through",
                        )}
                      >
                        {name}
                      </span>
                      {comments > 0 ? (
                        <span
                          className="flex items-center gap-0.5 text-muted-foreground"
                          title={`${comments} comments`}
                        >
                          <MessageSquare className="size-3" aria-hidden />
                          {comments}
                        </span>
                      ) : null}
                      <span className="ml-auto pl-1">
                        <FileCounts file={file} />
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}
