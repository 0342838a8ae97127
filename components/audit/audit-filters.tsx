import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import type { AuditPage } from "@/lib/audit/query";

/** A plain GET form: the filters live in the URL, so a filtered view can be shared and reloaded. */
export function AuditFilters({ page }: { page: AuditPage }) {
  const { filter } = page;
  const active = Boolean(filter.person || filter.action || filter.from || filter.to);
  return (
    <form method="get" action="/settings/audit" className="flex flex-wrap items-end gap-3 border-b px-4 py-3">
      <label className="grid gap-1 text-xs text-muted-foreground">
        Person
        <Select name="person" defaultValue={filter.person ?? ""} className="w-48 text-foreground">
          <option value="">Everyone</option>
          {page.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </label>
      <label className="grid gap-1 text-xs text-muted-foreground">
        Action
        <Select name="action" defaultValue={filter.action ?? ""} className="w-56 font-mono text-foreground">
          <option value="">All actions</option>
          {page.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </label>
      <label className="grid gap-1 text-xs text-muted-foreground">
        From
        <Input type="date" name="from" defaultValue={filter.from ?? ""} className="w-40 text-foreground" />
      </label>
      <label className="grid gap-1 text-xs text-muted-foreground">
        To
        <Input type="date" name="to" defaultValue={filter.to ?? ""} className="w-40 text-foreground" />
      </label>
      <Button type="submit" size="md">
        Filter
      </Button>
      {active ? (
        <Link href="/settings/audit" className="pb-1.5 text-sm text-muted-foreground hover:text-foreground">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
