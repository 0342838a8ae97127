"use client";

import { useCallback, useEffect, useLayoutEffect, useState } from "react";

/** Within this many pixels of the page's end counts as "at the bottom". */
const NEAR_BOTTOM_PX = 64;

const atBottom = () =>
  window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - NEAR_BOTTOM_PX;
const scrollToEnd = (behavior: ScrollBehavior = "auto") =>
  window.scrollTo({ top: document.documentElement.scrollHeight, behavior });

/**
 * Auto-scroll for a live timeline: while the person is at the bottom, each change (`version`) scrolls
 * the new content into view; scrolling up stops it, scrolling back to the bottom (or `jump`) resumes
 * it. New content never moves someone who is reading further up.
 */
export function useFollow(enabled: boolean, version: unknown, startPaused: boolean) {
  const [following, setFollowing] = useState(false);

  useEffect(() => {
    let lastY = window.scrollY;
    setFollowing(!startPaused && atBottom());
    const onScroll = () => {
      const y = window.scrollY;
      if (atBottom()) setFollowing(true);
      // Only a move up means "stop": content growing below leaves scrollY as it is.
      else if (y < lastY) setFollowing(false);
      lastY = y;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, [startPaused]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal to scroll
  useLayoutEffect(() => {
    if (enabled && following) scrollToEnd();
  }, [version, enabled, following]);

  const jump = useCallback(() => {
    setFollowing(true);
    scrollToEnd("smooth");
  }, []);

  return { following, jump };
}
