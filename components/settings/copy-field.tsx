"use client";

import { Check, Copy } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/input";
import { cn } from "@/lib/utils";

/** A read-only secret or link with a Copy button; selecting it by hand works too. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success("Copied to the clipboard");
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard access needs a secure context; fall back to selecting the text for Ctrl+C.
      input.current?.select();
      toast.message("Press Ctrl+C (⌘C) to copy the selected text");
    }
  }
  return (
    <div className="flex gap-2">
      <input
        ref={input}
        readOnly
        value={value}
        aria-label={label}
        data-testid={testId}
        className={cn(inputClass, "h-8 font-mono text-xs")}
        onFocus={(event) => event.currentTarget.select()}
      />
      <Button type="button" variant="secondary" onClick={copy}>
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}
