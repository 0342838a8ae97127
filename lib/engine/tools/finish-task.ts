// finish_task: the agent's own report of how its work ended. Its input is the model's, so it is parsed
// like any untrusted input; a bad call gets an error result the model can correct, and ends nothing.
import { z } from "zod";
import type { RunEvent } from "@/lib/events/run-event";
import { acceptedCall } from "./accepted-call";
import { FINISH_TASK_TOOL_NAME } from "./definitions";

const MAX_TEXT = 4000;

export const finishTaskInput = z
  .object({
    outcome: z.enum(["done", "blocked", "needs_input"]),
    summary: z.string().trim().min(1).max(MAX_TEXT),
    question: z.string().trim().max(MAX_TEXT).optional(),
  })
  .refine((input) => input.outcome !== "needs_input" || Boolean(input.question), {
    message: "needs_input needs a question",
    path: ["question"],
  });

export type FinishReport = z.infer<typeof finishTaskInput>;

/** The stored result of a finish_task call: the report, or an error the model can act on. */
export function runFinishTask(input: unknown): { content: string; isError: boolean } {
  const parsed = finishTaskInput.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join(".") || "input"}: ${i.message}`)
      .join("; ");
    return {
      content: `finish_task was not recorded (${problems}). Call it again with outcome (done, blocked or needs_input), a summary, and a question for needs_input.`,
      isError: true,
    };
  }
  return { content: `Recorded: ${parsed.data.outcome}. Your work on this run ends here.`, isError: false };
}

/** The report of the run's accepted finish_task call, if it made one (read from the stored events). */
export function finishReportOf(events: RunEvent[]): FinishReport | null {
  return acceptedCall(events, FINISH_TASK_TOOL_NAME, (input) => {
    const parsed = finishTaskInput.safeParse(input);
    return parsed.success ? parsed.data : null;
  });
}
