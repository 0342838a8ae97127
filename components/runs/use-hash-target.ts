"use client";

import { useEffect, useRef, useState } from "react";

/**
 * The timeline entry the URL points at (/runs/ID#step-12): highlighted, and scrolled to once it is on
 * the page — at once for a stored step, or when a live run reaches it.
 */
export function useHashTarget(version: unknown): string | null {
  const [target, setTarget] = useState<string | null>(null);
  const scrolledTo = useRef<string | null>(null);

  useEffect(() => {
    const read = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      scrolledTo.current = null;
      setTarget(id || null);
    };
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` says new entries may have arrived
  useEffect(() => {
    if (!target || scrolledTo.current === target) return;
    const element = document.getElementById(target);
    if (!element) return;
    scrolledTo.current = target;
    element.scrollIntoView({ block: "start" });
  }, [target, version]);

  return target;
}
