// The offline demo model as a judge (Best-of-N): it looks at each attempt's diff stat in its read-only
// repository, then ranks the attempts by the facts it was given — tests that passed first, then the
// smaller change — and says plainly that this is all it can judge.
import type { ScriptedMessage } from "@/lib/engine/messages-wire";

interface AttemptFacts {
  index: number;
  verification: "passed" | "not_run" | "failed";
  verificationText: string;
  files: number;
  lines: number;
}

const ORDER = { passed: 0, not_run: 1, failed: 2 } as const;

/** The attempts as the judge's prompt lists them (lib/compare/judge-prompt.ts). */
export function attemptsInPrompt(prompt: string): AttemptFacts[] {
  const sections = prompt.split(/^### Attempt /m).slice(1);
  return sections.flatMap((section) => {
    const index = Number(/^(\d+): branch attempt-\d+/.exec(section)?.[1]);
    if (!Number.isInteger(index)) return [];
    const verificationText = /^- Verification: (.*)$/m.exec(section)?.[1] ?? "not verified";
    const changes = /^- Changes: (\d+) files?, \+(\d+) −(\d+)$/m.exec(section);
    return [
      {
        index,
        verification: /passed/.test(verificationText)
          ? "passed"
          : /failed|timed out/.test(verificationText)
            ? "failed"
            : "not_run",
        verificationText,
        files: Number(changes?.[1] ?? 0),
        lines: Number(changes?.[2] ?? 0) + Number(changes?.[3] ?? 0),
      },
    ];
  });
}

function reasonsFor(attempt: AttemptFacts, smallest: boolean): string {
  const size = `${attempt.files} file${attempt.files === 1 ? "" : "s"}, ${attempt.lines} line${attempt.lines === 1 ? "" : "s"} changed`;
  return `${attempt.verificationText[0]?.toUpperCase()}${attempt.verificationText.slice(1)}; ${size}${smallest ? " (the smallest change)" : ""}.`;
}

/** The demo judge's next reply: first a look at the attempts, then its ranking. */
export function demoJudge(prompt: string, toolResults: number): ScriptedMessage {
  const attempts = attemptsInPrompt(prompt);
  if (toolResults === 0) {
    const branches = attempts.map((a) => `attempt-${a.index}`).join(" ");
    return {
      content: [
        { type: "text", text: "I'll look at what each attempt changed." },
        {
          type: "tool_use",
          name: "bash",
          input: { command: `for b in ${branches}; do echo "== $b"; git diff --stat HEAD...$b; done` },
        },
      ],
    };
  }
  const ranked = [...attempts].sort(
    (a, b) => ORDER[a.verification] - ORDER[b.verification] || a.lines - b.lines || a.index - b.index,
  );
  const fewest = Math.min(...attempts.map((a) => a.lines));
  return {
    content: [
      { type: "text", text: "Ranking them by their tests, then by the size of their change." },
      {
        type: "tool_use",
        name: "rank_attempts",
        input: {
          ranking: ranked.map((a) => ({ attempt: a.index, reasons: reasonsFor(a, a.lines === fewest) })),
          summary:
            `Attempt ${ranked[0]?.index} comes first on the facts: its tests, then the smallest change. ` +
            "I'm Foreman's offline demo model, so I ranked by those facts alone and did not judge the code itself; " +
            "assign a real model as the judge for that.",
        },
      },
    ],
  };
}
