"use client";

import { Tooltip as TooltipPrimitive } from "radix-ui";
import type * as React from "react";
import { useRef, useState } from "react";
import { cn } from "@/lib/utils";

/**
 * A tooltip on a focusable trigger: opens on hover and on keyboard focus, closes on Escape, on blur and when
 * the pointer leaves; the content is the trigger's accessible description (role tooltip, aria-describedby).
 * While the trigger has focus it stays open: Radix closes tooltips on any scroll, and reaching a trigger with
 * Tab scrolls it into view, which would close it at once.
 */
export function Tooltip({
  content,
  children,
  className,
}: {
  content: React.ReactNode;
  /** The trigger: one focusable element (a button or a link). */
  children: React.ReactElement;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const focused = useRef(false);
  return (
    <TooltipPrimitive.Provider delayDuration={250} skipDelayDuration={100}>
      <TooltipPrimitive.Root
        open={open}
        onOpenChange={(next) => {
          if (next || !focused.current) setOpen(next);
        }}
      >
        <TooltipPrimitive.Trigger
          asChild
          onFocus={() => {
            focused.current = true;
            setOpen(true);
          }}
          onBlur={() => {
            focused.current = false;
            setOpen(false);
          }}
        >
          {children}
        </TooltipPrimitive.Trigger>
        <TooltipPrimitive.Portal>
          <TooltipPrimitive.Content
            sideOffset={6}
            collisionPadding={8}
            onEscapeKeyDown={() => setOpen(false)}
            className={cn(
              "z-50 max-w-xs rounded-md border bg-surface px-3 py-2 text-xs leading-relaxed font-normal text-foreground shadow-md",
              className,
            )}
          >
            {content}
          </TooltipPrimitive.Content>
        </TooltipPrimitive.Portal>
      </TooltipPrimitive.Root>
    </TooltipPrimitive.Provider>
  );
}
