// The first message of runs that continue a task after review: the reviewer's comments with the code
// they point at, or the instructions to merge the base branch and resolve its conflicts.

export type CommentSide = "old" | "new";

export interface PromptComment {
  path: string;
  /** "old": removed lines, numbered in the file as it was before this branch changed it. */
  side: CommentSide;
  lineStart: number;
  lineEnd: number;
  body: string;
}

const CONTEXT_LINES = 3;

/** The lines around a comment, numbered, with the commented lines marked by ">". */
export function codeAround(text: string | null, lineStart: number, lineEnd: number): string | null {
  if (text === null) return null;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lineStart > lines.length) return null;
  const from = Math.max(1, lineStart - CONTEXT_LINES);
  const to = Math.min(lines.length, lineEnd + CONTEXT_LINES);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const mark = n >= lineStart && n <= lineEnd ? ">" : " ";
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1]}`);
  }
  return out.join("\n");
}

function fence(code: string): string {
  // A fence longer than any backtick run inside the code, so it can't be closed early.
  const longest = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}\n${code}\n${ticks}`;
}

export function followUpPrompt(options: {
  reviewer: string;
  taskTitle: string;
  body?: string;
  comments: PromptComment[];
  /** The file's text at the reviewed commit ("new") or before the branch ("old"); null when absent. */
  fileText: (path: string, side: CommentSide) => string | null;
}): string {
  const count = options.comments.length;
  const parts = [
    `${options.reviewer} reviewed your work on "${options.taskTitle}" and requested changes.`,
    `Address ${count === 1 ? "the comment" : `each of the ${count} comments`} below on this same branch, run the tests, and reply with a short summary of what you changed for each comment.`,
  ];
  if (options.body) parts.push(`## Overall\n\n${options.body}`);
  options.comments.forEach((c, i) => {
    const lines = c.lineStart === c.lineEnd ? `line ${c.lineStart}` : `lines ${c.lineStart}-${c.lineEnd}`;
    // A removed line no longer exists on the branch: say so, and quote the old file around it.
    const where = c.side === "old" ? `removed ${lines} of the old file (before your changes)` : lines;
    const code = codeAround(options.fileText(c.path, c.side), c.lineStart, c.lineEnd);
    const section = [`## Comment ${i + 1}: \`${c.path}\`, ${where}`];
    if (code) section.push(fence(code));
    section.push(c.body);
    parts.push(section.join("\n\n"));
  });
  return parts.join("\n\n");
}

export function resolveConflictPrompt(options: {
  baseBranch: string;
  files: string[];
  agentName: string;
}): string {
  const identity = `-c user.name=${JSON.stringify(options.agentName)} -c user.email=agent@foreman.local`;
  return [
    `This branch can't be merged into '${options.baseBranch}': it conflicts with changes made there since the branch started.`,
    options.files.length > 0 ? `Conflicting files:\n${options.files.map((f) => `- ${f}`).join("\n")}` : "",
    `1. Merge the base into this branch without committing:\n   git ${identity} merge --no-ff --no-commit origin/${options.baseBranch}`,
    "2. Resolve every conflict: keep the intent of both sides, remove all conflict markers.",
    "3. Run the tests. Don't commit yourself: Foreman commits your work (and concludes the merge) after each step.",
    "Reply with a short summary of how you resolved each conflict.",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** The first message of the run that continues after a person answered the agent (or its blocked report). */
export function answerPrompt(options: {
  person: string;
  taskTitle: string;
  outcome: "needs_input" | "blocked" | "no_changes";
  /** The agent's question, its reason, or what it said when it changed nothing. */
  asked: string | null;
  answer: string;
}): string {
  const lead = {
    needs_input: "You asked a question",
    blocked: "You reported that you were blocked",
    no_changes: "Your last run ended without changing a file",
  }[options.outcome];
  return [
    `${lead} while working on "${options.taskTitle}".`,
    options.asked ? `## What you said\n\n${options.asked}` : "",
    `## ${options.person} answered\n\n${options.answer}`,
    "Continue the task on this same branch with this answer, run the tests, and call finish_task when you stop.",
  ]
    .filter(Boolean)
    .join("\n\n");
}

/** Keeps the tail of a long test output, where the failures usually are. */
const OUTPUT_TAIL = 8_000;

/**
 * The merge queue refused the branch: the tests passed on it but fail once merged with the base as it is
 * now. The agent merges the base in and makes the tests pass again (a resolve_conflict run).
 */
export function mergeVerificationPrompt(options: {
  baseBranch: string;
  exitCode: number | null;
  output: string;
  agentName: string;
}): string {
  const identity = `-c user.name=${JSON.stringify(options.agentName)} -c user.email=agent@foreman.local`;
  const how = options.exitCode === null ? "timed out" : `failed with exit ${options.exitCode}`;
  const output =
    options.output.length > OUTPUT_TAIL ? `…${options.output.slice(-OUTPUT_TAIL)}` : options.output;
  return [
    `The tests passed on this branch, but ${how} once it was merged into '${options.baseBranch}' as it is now, so the merge was refused.`,
    `Test output on the merged tree:\n\`\`\`\n${output}\n\`\`\``,
    `1. Merge the base into this branch without committing:\n   git ${identity} merge --no-ff --no-commit origin/${options.baseBranch}`,
    "2. Fix what broke so the tests pass on the merged result, keeping the intent of both sides.",
    "3. Run the tests. Don't commit yourself: Foreman commits your work (and concludes the merge) after each step.",
    "Reply with a short summary of what broke and how you fixed it.",
  ].join("\n\n");
}
