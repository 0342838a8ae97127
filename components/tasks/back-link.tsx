import { ChevronLeft } from "lucide-react";
import Link from "next/link";
import type * as React from "react";

export function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      className="mb-3 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
    >
      <ChevronLeft className="size-3.5" aria-hidden /> {children}
    </Link>
  );
}
