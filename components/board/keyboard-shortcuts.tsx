"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isTypingTarget } from "@/components/app/keyboard";

/** `n` opens a new task, `/` focuses the board's search — never while typing in a field. */
export function BoardShortcuts({ canAssign }: { canAssign: boolean }) {
  const router = useRouter();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      if (event.key === "n" && canAssign) {
        event.preventDefault();
        router.push("/tasks/new");
      } else if (event.key === "/") {
        const search = document.getElementById("board-search");
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router, canAssign]);
  return null;
}
