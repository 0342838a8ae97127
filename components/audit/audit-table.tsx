import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { AuditPage } from "@/lib/audit/query";

const OBJECT_LINKS: Record<string, string> = {
  task: "/tasks/",
  run: "/runs/",
  repo: "/repos/",
  repository: "/repos/",
  agent: "/agents/",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function ObjectCell({
  type,
  id,
  details,
}: {
  type: string;
  id: string | null;
  details: Record<string, unknown>;
}) {
  const label = typeof details.number === "number" ? `${type} #${details.number}` : type;
  const base = OBJECT_LINKS[type];
  if (id && base && UUID.test(id)) {
    return (
      <Link href={`${base}${id}`} className="hover:underline">
        {label}
      </Link>
    );
  }
  return <span>{label}</span>;
}

/** Details as short key=value pairs; the full JSON on hover. */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details).filter(([key]) => key !== "number");
  if (entries.length === 0) return <span className="text-muted-foreground">—</span>;
  const text = entries
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("  ");
  return (
    <span
      className="line-clamp-2 break-all font-mono text-[11px] text-muted-foreground"
      title={JSON.stringify(details, null, 2)}
    >
      {text}
    </span>
  );
}

export function AuditTable({ rows }: { rows: AuditPage["rows"] }) {
  return (
    <Table data-testid="audit-table">
      <thead>
        <tr>
          <Th className="w-32">When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Object</Th>
          <Th>Details</Th>
          <Th className="w-20">From</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} className="hover:bg-muted/40">
            <Td className="whitespace-nowrap text-xs">
              <TimeAgo date={row.createdAt} />
            </Td>
            <Td className="text-xs">
              {row.actorName ? (
                <span title={row.actorEmail ?? undefined}>{row.actorName}</span>
              ) : (
                <span className="text-muted-foreground">System</span>
              )}
            </Td>
            <Td className="font-mono text-xs">{row.action}</Td>
            <Td className="text-xs">
              <ObjectCell type={row.objectType} id={row.objectId} details={row.details} />
            </Td>
            <Td className="max-w-md">
              <Details details={row.details} />
            </Td>
            <Td>
              <Badge tone={row.source === "api" ? "accent" : "neutral"}>
                {row.source === "api" ? "API token" : row.source[0]?.toUpperCase() + row.source.slice(1)}
              </Badge>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
