/** foreman/<task-number>-<slug of the title>: readable in `git branch`, unique per task. */
export function runBranchName(taskNumber: number, title: string, suffix?: string): string {
  const slug =
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "task";
  return `foreman/${taskNumber}-${slug}${suffix ? `-${suffix}` : ""}`;
}
