import type * as React from "react";
import { Logo } from "@/components/app/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-muted/40 px-4 py-12">
      <div className="mb-6 flex items-center gap-2 text-base font-semibold">
        <Logo /> Foreman
      </div>
      <div className="w-full max-w-sm rounded-lg border bg-surface p-6 shadow-sm">{children}</div>
    </main>
  );
}
