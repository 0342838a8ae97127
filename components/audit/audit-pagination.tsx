import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import type { AuditPage } from "@/lib/audit/query";
import { cn } from "@/lib/utils";

export function AuditPagination({ page }: { page: AuditPage }) {
  if (page.pages <= 1) return null;
  const href = (n: number) => {
    const params = new URLSearchParams();
    for (const key of ["person", "action", "from", "to"] as const) {
      const value = page.filter[key];
      if (value) params.set(key, value);
    }
    if (n > 1) params.set("page", String(n));
    const query = params.toString();
    return `/settings/audit${query ? `?${query}` : ""}`;
  };
  const link = (n: number, label: string, disabled: boolean) =>
    disabled ? (
      <span
        className={cn(buttonVariants({ variant: "secondary", size: "sm" }), "pointer-events-none opacity-50")}
      >
        {label}
      </span>
    ) : (
      <Link href={href(n)} className={buttonVariants({ variant: "secondary", size: "sm" })}>
        {label}
      </Link>
    );
  return (
    <nav aria-label="Audit log pages" className="flex items-center justify-between px-4 py-3 text-xs">
      <span className="tabular text-muted-foreground">
        Page {page.page} of {page.pages}
      </span>
      <span className="flex gap-2">
        {link(page.page - 1, "Newer", page.page <= 1)}
        {link(page.page + 1, "Older", page.page >= page.pages)}
      </span>
    </nav>
  );
}
