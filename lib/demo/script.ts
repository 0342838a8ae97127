// What the offline demo model says next, decided from the conversation it is sent — like a real model, it
// only knows what is in the request. It reads the task (or, in a follow-up, the reviewer's comments) and
// does the few things it knows on the demo repository with real tools: fix the failing test, add a test for
// negative numbers, rename a function. Everything it says at the end is built from the tool results it got,
// so a failed edit or failing tests are reported as such. Anything else: it says plainly that it is an
// offline demo and changes nothing.
import type { ScriptedMessage } from "@/lib/engine/messages-wire";
import { demoJudge } from "./judge";

interface RequestBlock {
  type: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
}
interface RequestMessage {
  role: string;
  content: string | RequestBlock[];
}

export const DEMO_MODEL = "foreman-demo";
export const DEMO_TASK_PROMPT = "Fix the failing test";
/** What the demo can do, said whenever it is asked for something else. */
const WHAT_I_CAN_DO =
  'fix the failing test, add a test for negative numbers, or rename a function ("rename add to sum")';

/** One tool call's result, as the model sees it. */
interface ToolOutcome {
  text: string;
  isError: boolean;
}

function blockText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? "").join("\n");
  return "";
}

function texts(message: RequestMessage | undefined): string {
  if (!message) return "";
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((block) => (block.type === "text" ? (block.text ?? "") : blockText(block.content)))
    .join("\n");
}

function toolOutcomes(messages: RequestMessage[]): ToolOutcome[] {
  return messages.flatMap((message) =>
    message.role === "user" && typeof message.content !== "string"
      ? message.content
          .filter((block) => block.type === "tool_result")
          .map((block) => ({ text: blockText(block.content), isError: Boolean(block.is_error) }))
      : [],
  );
}

const bash = (command: string) => ({ type: "tool_use" as const, name: "bash", input: { command } });
const edit = (input: Record<string, unknown>) => ({
  type: "tool_use" as const,
  name: "str_replace_based_edit_tool",
  input,
});
const say = (text: string) => ({ type: "text" as const, text });
const act = (text: string, tool: ReturnType<typeof bash> | ReturnType<typeof edit>): ScriptedMessage => ({
  content: [say(text), tool],
});
const finish = (text: string): ScriptedMessage => ({ content: [say(text)] });

const testsPass = (outcome: ToolOutcome | undefined) =>
  Boolean(outcome && !outcome.isError && /# fail 0\b/.test(outcome.text));
/** The first line of a tool's error, quoted in what the demo says. */
const firstLine = (outcome: ToolOutcome) => outcome.text.trim().split("\n")[0]?.slice(0, 200) ?? "";
const failingCount = (outcome: ToolOutcome) => /# fail (\d+)/.exec(outcome.text)?.[1] ?? "some";

/** "Fix the failing test": each step follows from what the previous one found. */
function fixFailingTest(done: ToolOutcome[]): ScriptedMessage {
  const [, tests, view, change, retest] = done;
  if (done.length === 0)
    return act(
      "I'll look at how the project is laid out and how its tests run.",
      bash("ls -R src test && cat package.json"),
    );
  if (!tests) return act("Let me run the tests to see what fails.", bash("node --test"));
  if (testsPass(tests))
    return finish(
      "The tests already pass (`node --test`: 0 failing), so there is nothing to fix. I changed nothing.",
    );
  if (!view)
    return act(
      "`add` gives the wrong result. Let me read it.",
      edit({ command: "view", path: "src/math.js" }),
    );
  if (view.isError || !view.text.includes("return a - b;"))
    return finish(
      "The tests fail, but not in the way I know how to fix (`add` returning `a - b` in `src/math.js`). " +
        "I'm Foreman's offline demo model, so I changed nothing; this needs a person or a real model.",
    );
  if (!change)
    return act(
      "`add` subtracts instead of adding. Fixing it.",
      edit({
        command: "str_replace",
        path: "src/math.js",
        old_str: "return a - b;",
        new_str: "return a + b;",
      }),
    );
  if (change.isError)
    return finish(`My edit of \`src/math.js\` failed (${firstLine(change)}), so I changed nothing.`);
  if (!retest) return act("Now the tests again.", bash("node --test"));
  return finish(
    testsPass(retest)
      ? "Fixed the failing test: `add` in `src/math.js` subtracted its arguments (`a - b`); it now returns `a + b`. `node --test` passes."
      : `I changed \`add\` in \`src/math.js\` to return \`a + b\`, but \`node --test\` still fails (${failingCount(retest)} failing) — this needs a closer look from a person.`,
  );
}

const NEGATIVE_TEST = [
  "",
  'test("add handles negative numbers", () => {',
  "  assert.equal(add(-2, -3), -5);",
  "  assert.equal(add(-4, 6), 2);",
  "});",
].join("\n");

/** The highest line number in an editor view: the line to insert after, to append. */
const lastLineOf = (view: string) =>
  Math.max(0, ...Array.from(view.matchAll(/^\s*(\d+)\t/gm), (m) => Number(m[1])));

/** "Add a test for negative numbers": a real test appended to test/math.test.js, then the tests. */
function addNegativeTest(done: ToolOutcome[]): ScriptedMessage {
  const [view, change, tests] = done;
  if (!view)
    return act("I'll read the current tests first.", edit({ command: "view", path: "test/math.test.js" }));
  if (view.isError)
    return finish(`I couldn't read \`test/math.test.js\` (${firstLine(view)}), so I added no test.`);
  if (/negative/i.test(view.text))
    return finish("`test/math.test.js` already has a test for negative numbers, so I changed nothing.");
  if (!change)
    return act(
      "Adding a test of `add` with negative numbers at the end of the file.",
      edit({
        command: "insert",
        path: "test/math.test.js",
        insert_line: lastLineOf(view.text),
        insert_text: NEGATIVE_TEST,
      }),
    );
  if (change.isError)
    return finish(`My edit of \`test/math.test.js\` failed (${firstLine(change)}), so I added no test.`);
  if (!tests) return act("Now the tests.", bash("node --test"));
  return finish(
    testsPass(tests)
      ? "Added the test `add handles negative numbers` to `test/math.test.js` (`add(-2, -3)` is -5, `add(-4, 6)` is 2). `node --test` passes."
      : `Added the test \`add handles negative numbers\` to \`test/math.test.js\`, but \`node --test\` fails (${failingCount(tests)} failing): the new test, or \`add\` itself, needs a person's look.`,
  );
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** "Rename X to Y": every whole-word use in src and test, then the tests. X and Y are plain identifiers. */
function rename(from: string, to: string, done: ToolOutcome[]): ScriptedMessage {
  const [found, change, tests] = done;
  if (!found) return act(`Let me find every use of \`${from}\`.`, bash(`grep -rnw ${from} src test`));
  if (found.isError || !found.text.trim() || found.text.trim() === "(no output)")
    return finish(`I found no \`${from}\` in \`src\` or \`test\`, so I renamed nothing.`);
  if (!change)
    return act(
      `Renaming \`${from}\` to \`${to}\` everywhere it appears.`,
      bash(`grep -rlw ${from} src test | xargs sed -i 's/\\b${from}\\b/${to}/g' && grep -rnw ${to} src test`),
    );
  if (change.isError) return finish(`The rename failed (${firstLine(change)}), so I changed nothing.`);
  if (!tests) return act("Now the tests.", bash("node --test"));
  const files = new Set(Array.from(change.text.matchAll(/^([^:\n]+):\d+:/gm), (m) => m[1])).size;
  return finish(
    testsPass(tests)
      ? `Renamed \`${from}\` to \`${to}\` in ${files} file${files === 1 ? "" : "s"}. \`node --test\` passes.`
      : `Renamed \`${from}\` to \`${to}\` in ${files} file${files === 1 ? "" : "s"}, but \`node --test\` fails (${failingCount(tests)} failing) — this needs a person's look.`,
  );
}

/** A task the demo can't do: it looks around, then says so. */
function explore(done: ToolOutcome[]): ScriptedMessage {
  const [listing] = done;
  if (!listing) return act("I'll take a look at the repository.", bash("git log --oneline -5 && ls"));
  const found = listing.text.trim().split("\n").slice(0, 12).join("\n");
  return finish(
    "I'm Foreman's offline demo model, so I can't really work on this task. On the demo repository I can only " +
      `${WHAT_I_CAN_DO}. Here is what I found in the repository:\n\n\`\`\`\n${found}\n\`\`\`\n\n` +
      "I changed nothing. Set ANTHROPIC_API_KEY and assign a real model to get this done.",
  );
}

/** Review feedback the demo can't act on: no tools, no changes, and it says so. */
function cannotDo(request: string): ScriptedMessage {
  const quoted = request.length > 300 ? `${request.slice(0, 300)}…` : request;
  return finish(
    `I'm Foreman's offline demo model, so I can't do what this review asks:\n\n> ${quoted.replaceAll("\n", "\n> ")}\n\n` +
      `On the demo repository I can only ${WHAT_I_CAN_DO}. I made no changes. ` +
      "Set ANTHROPIC_API_KEY and run this task with a real model to address it.",
  );
}

/**
 * What a follow-up run is asked: the review's own words (its overall note and each comment), without the
 * header that repeats the task's title or the code quoted around each comment. Null for a first run.
 */
export function reviewRequest(first: string): string | null {
  if (!/ reviewed your work on ".*" and requested changes\./.test(first)) return null;
  return first
    .split(/\n\n/)
    .slice(2)
    .join("\n\n")
    .replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, "")
    .replace(/^## .*$/gm, "")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

/** The next reply for a Messages API request body. */
export function demoReply(body: {
  messages?: RequestMessage[];
  tools?: { name?: string }[];
}): ScriptedMessage {
  const messages = body.messages ?? [];
  const first = texts(messages[0]);
  // Asked to judge a task's attempts (it is offered rank_attempts): see ./judge.ts.
  if (body.tools?.some((tool) => tool.name === "rank_attempts"))
    return demoJudge(first, toolOutcomes(messages).length);
  const review = reviewRequest(first);
  const request = review ?? first;
  const done = toolOutcomes(messages);
  if (/negative/i.test(request) && /\btests?\b/i.test(request)) return addNegativeTest(done);
  const renaming = /\brename\s+(?:the\s+)?(?:function\s+)?`?(\w+)`?\s+(?:to|as|into)\s+`?(\w+)`?/i.exec(
    request,
  );
  if (renaming?.[1] && renaming[2] && IDENTIFIER.test(renaming[1]) && IDENTIFIER.test(renaming[2]))
    return rename(renaming[1], renaming[2], done);
  if (/fail(ing|s)?\s+tests?|tests?\s+(still\s+)?fail/i.test(request)) return fixFailingTest(done);
  return review === null ? explore(done) : cannotDo(review || "(no comment text)");
}
