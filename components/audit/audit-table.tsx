import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import type { AuditPage } from "@/lib/audit/query";

type Refs = AuditPage["refs"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A resolved id as its name (a link where it has a page); an unknown one as a short id. */
function Ref({ id, refs }: { id: string; refs: Refs }) {
  const ref = refs[id.toLowerCase()];
  if (!ref)
    return (
      <span className="font-mono" title={id}>
        {id.slice(0, 8)}…
      </span>
    );
  return ref.href ? (
    <Link
      href={ref.href}
      className="text-foreground underline decoration-muted-foreground/40 underline-offset-2 hover:decoration-foreground"
      data-testid="audit-ref"
    >
      {ref.label}
    </Link>
  ) : (
    <span className="text-foreground" data-testid="audit-ref">
      {ref.label}
    </span>
  );
}

function ObjectCell({
  type,
  id,
  details,
  refs,
}: {
  type: string;
  id: string | null;
  details: Record<string, unknown>;
  refs: Refs;
}) {
  const kind = type.replace(/_/g, " ");
  if (id && UUID.test(id) && refs[id.toLowerCase()])
    // "#12 Fix the test" and "Demo's run on #12" say what they are; a bare name gets its kind.
    return type === "task" || type === "run" ? (
      <Ref id={id} refs={refs} />
    ) : (
      <span>
        <span className="text-muted-foreground">{kind}</span> <Ref id={id} refs={refs} />
      </span>
    );
  return <span>{typeof details.number === "number" ? `${kind} #${details.number}` : kind}</span>;
}

/** runId → "run", parentRunId → "parent run", runIds → "runs". */
function keyLabel(key: string): string {
  return key
    .replace(/Ids$/, "s")
    .replace(/Id$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

const isId = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** Details as short pairs, ids as names and links; the full JSON on hover. */
function Details({ details, refs }: { details: Record<string, unknown>; refs: Refs }) {
  const entries = Object.entries(details).filter(([key]) => key !== "number");
  if (entries.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <span
      className="flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-muted-foreground"
      title={JSON.stringify(details, null, 2)}
      data-testid="audit-details"
    >
      {entries.map(([key, value]) => {
        const ids = isId(value)
          ? [value]
          : Array.isArray(value) && value.every(isId) && value.length
            ? value
            : null;
        if (ids)
          return (
            <span key={key}>
              {keyLabel(key)}:{" "}
              {ids.map((id, index) => (
                <span key={id}>
                  {index > 0 ? ", " : null}
                  <Ref id={id} refs={refs} />
                </span>
              ))}
            </span>
          );
        return (
          <span key={key} className="break-all font-mono">
            {key}={typeof value === "string" ? value : JSON.stringify(value)}
          </span>
        );
      })}
    </span>
  );
}

export function AuditTable({ rows, refs }: { rows: AuditPage["rows"]; refs: Refs }) {
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
              <ObjectCell type={row.objectType} id={row.objectId} details={row.details} refs={refs} />
            </Td>
            <Td className="max-w-md">
              <Details details={row.details} refs={refs} />
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
