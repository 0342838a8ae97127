import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditPagination } from "@/components/audit/audit-pagination";
import { AuditTable } from "@/components/audit/audit-table";
import { NoAccess } from "@/components/settings/no-access";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { listAudit } from "@/lib/audit/query";
import { can } from "@/lib/auth/permissions";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireActor();
  // Refused on the server: a non-admin's page carries no audit data.
  if (!can(actor, "settings:manage")) {
    return (
      <NoAccess>
        The audit log is for admins: it shows who assigned, reviewed, merged and changed what, from the
        browser or an API token.
      </NoAccess>
    );
  }
  const query = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const page = await listAudit(actor, {
    person: first(query.person),
    action: first(query.action),
    from: first(query.from),
    to: first(query.to),
    page: first(query.page),
  });
  const filtered = Boolean(page.filter.person || page.filter.action || page.filter.from || page.filter.to);
  return (
    <Card>
      <CardHeader
        title="Audit log"
        description={`${page.total.toLocaleString("en")} ${page.total === 1 ? "entry" : "entries"}${filtered ? (page.total === 1 ? " matches" : " match") : ""}, newest first. Dates are UTC days; hover a time for the exact time.`}
      />
      <AuditFilters page={page} />
      {page.rows.length > 0 ? (
        <>
          <AuditTable rows={page.rows} refs={page.refs} />
          <AuditPagination page={page} />
        </>
      ) : (
        <div className="p-4">
          <EmptyState
            icon={ScrollText}
            title={filtered ? "Nothing matches these filters" : "Nothing recorded yet"}
          >
            {filtered
              ? "Widen the dates or choose “Everyone” and “All actions”."
              : "Assigning tasks, reviewing, merging and changing members or settings each leave an entry here."}
          </EmptyState>
        </div>
      )}
    </Card>
  );
}
