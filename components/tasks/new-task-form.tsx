"use client";

import { useQuery } from "@tanstack/react-query";
import { Users } from "lucide-react";
import { useActionState, useEffect, useState } from "react";
import { createTaskAction } from "@/app/(dashboard)/tasks/actions";
import { repoBranchesAction } from "@/app/(dashboard)/tasks/new/actions";
import { Button } from "@/components/ui/button";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Markdown } from "@/components/ui/markdown";
import { unreadableNumbers } from "@/components/ui/unreadable-numbers";
import { initialFormState } from "@/lib/actions/form-state";
import { formatUsd } from "@/lib/format";
import { cn } from "@/lib/utils";
import { type DependencyOption, DependencyPicker } from "./dependency-picker";

export interface RepoOption {
  id: string;
  name: string;
  defaultBranch: string;
}
export interface AgentOption {
  id: string;
  name: string;
  model: string;
  maxSteps: number;
  maxCostUsd: number;
  maxDurationSec: number;
  /** Why this agent can't be given work now (its model needs ANTHROPIC_API_KEY); unset when it can. */
  unavailable?: string;
}
export interface ReviewerOption {
  id: string;
  name: string;
}

const FIELDS = [
  "title",
  "prompt",
  "repoId",
  "baseBranch",
  "agentId",
  "alsoAgentIds",
  "reviewerId",
  "dependsOn",
  "maxSteps",
  "maxCostUsd",
  "maxDurationMin",
];

/** The budget fields' names in messages, as the server's schema words them (lib/tasks/schema.ts). */
const BUDGET_LABELS = { maxSteps: "Max steps", maxCostUsd: "Max cost", maxDurationMin: "Max duration" };

/** Assigns a task: the server queues its first run and sends the person to watch it. */
export function NewTaskForm({
  repos,
  agents,
  reviewers,
  initial,
  initialBranches,
  dependencyOptions = [],
}: {
  repos: RepoOption[];
  agents: AgentOption[];
  reviewers: ReviewerOption[];
  /** The team's open tasks this one may wait on. */
  dependencyOptions?: DependencyOption[];
  initial: { repoId?: string; agentId?: string; title?: string; prompt?: string };
  /** The first repository's branches, read on the server so the select is filled at once. */
  initialBranches?: { repoId: string; branches: string[] };
}) {
  const [state, action] = useActionState(createTaskAction, initialFormState);
  // Budget fields whose text isn't a number, found before sending (components/ui/unreadable-numbers.ts).
  const [unreadable, setUnreadable] = useState<Record<string, string>>({});
  const errors: Record<string, string | undefined> = { ...state.fieldErrors, ...unreadable };
  // After a failed submission, what the person typed; otherwise the preselection.
  const values: Record<string, string | undefined> = state.values ?? {
    title: initial.title,
    prompt: initial.prompt,
    repoId: initial.repoId ?? repos[0]?.id,
    agentId: initial.agentId ?? (agents.find((a) => !a.unavailable) ?? agents[0])?.id,
  };
  const [repoId, setRepoId] = useState(values.repoId);
  const [agentId, setAgentId] = useState(values.agentId);
  const [draft, setDraft] = useState(values.prompt ?? "");
  const [preview, setPreview] = useState(false);
  const alsoChosen = new Set((values.alsoAgentIds ?? "").split("\n").filter(Boolean));
  const [several, setSeveral] = useState(alsoChosen.size > 0);
  const [alsoIds, setAlsoIds] = useState<string[]>([...alsoChosen]);
  // After a refused submission React resets the form to the echoed values: the preview follows them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per submission, keyed by `at`
  useEffect(() => {
    if (state.values) setDraft(state.values.prompt ?? "");
  }, [state.at]);
  const repo = repos.find((r) => r.id === repoId);
  const agent = agents.find((a) => a.id === agentId);
  const branches = useQuery({
    queryKey: ["repo-branches", repoId],
    queryFn: async () => {
      const result = await repoBranchesAction(repoId ?? "");
      if ("error" in result) throw new Error(result.error);
      return result.branches;
    },
    enabled: Boolean(repoId),
    initialData: initialBranches && initialBranches.repoId === repoId ? initialBranches.branches : undefined,
    staleTime: 30_000,
    retry: false,
  });
  const listed = branches.data ?? (repo ? [repo.defaultBranch] : []);
  // A refused branch (deleted meanwhile) stays selected beside its error, so the person sees what was sent.
  const submitted = values.repoId === repoId ? values.baseBranch : undefined;
  const branchOptions = submitted && !listed.includes(submitted) ? [...listed, submitted] : listed;
  const chosenBranch = submitted || repo?.defaultBranch;
  const others = agents.filter((a) => a.id !== agentId);
  // Every agent the task goes to: each run takes its own agent's budget where a field is left empty.
  const chosenAgents = [
    ...(agent ? [agent] : []),
    ...(several ? others.filter((a) => alsoIds.includes(a.id)) : []),
  ];
  const runCount = several ? 1 + others.filter((a) => alsoIds.includes(a.id)).length : 1;
  /** The placeholder of a budget field: the agents' shared value, or "per agent" when they differ. */
  const budgetPlaceholder = (value: (a: AgentOption) => number) => {
    const values = new Set(chosenAgents.map(value));
    return values.size === 1 ? String([...values][0]) : values.size > 1 ? "per agent" : undefined;
  };
  const showFormError = !FIELDS.some((field) => errors[field] && errors[field] === state.error);

  return (
    <form
      action={action}
      className="grid gap-5"
      noValidate
      onSubmit={(event) => {
        const found = unreadableNumbers(event.currentTarget, BUDGET_LABELS);
        setUnreadable(found);
        const first = Object.keys(found)[0];
        if (!first) return;
        event.preventDefault();
        (event.currentTarget.elements.namedItem(first) as HTMLInputElement | null)?.focus();
      }}
    >
      <Field id="title" label="Title" error={errors.title}>
        <Input
          {...fieldProps("title", errors.title)}
          defaultValue={values.title}
          maxLength={200}
          placeholder="Fix the flaky login test"
          autoFocus={!values.title}
        />
      </Field>
      <div className="grid gap-1.5">
        <div className="flex items-center justify-between">
          <label htmlFor="prompt" className="text-sm font-medium">
            Prompt
          </label>
          <fieldset className="flex rounded-md border p-0.5 text-xs">
            <legend className="sr-only">Editor mode</legend>
            {(["Write", "Preview"] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                aria-pressed={(mode === "Preview") === preview}
                onClick={() => setPreview(mode === "Preview")}
                className={cn(
                  "rounded px-2 py-0.5 text-muted-foreground",
                  (mode === "Preview") === preview && "bg-muted font-medium text-foreground",
                )}
              >
                {mode}
              </button>
            ))}
          </fieldset>
        </div>
        {/* The textarea stays in the form while previewing, so its value is always submitted. */}
        <Textarea
          {...fieldProps("prompt", errors.prompt)}
          defaultValue={values.prompt}
          onChange={(event) => setDraft(event.target.value)}
          className={cn("min-h-36 font-mono text-xs leading-relaxed", preview && "hidden")}
          spellCheck={false}
        />
        {preview ? (
          <div className="min-h-36 rounded-md border px-3 py-2" data-testid="prompt-preview">
            <Markdown source={draft} />
          </div>
        ) : null}
        {errors.prompt ? (
          <p id="prompt-error" className="text-xs text-danger" role="alert">
            {errors.prompt}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">
            What the agent should do, as you would tell a colleague (Markdown). It sees the repository, not
            this page.
          </p>
        )}
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field className="content-start" id="repoId" label="Repository" error={errors.repoId}>
          <Select
            {...fieldProps("repoId", errors.repoId)}
            defaultValue={values.repoId}
            onChange={(event) => setRepoId(event.target.value)}
          >
            {repos.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          className="content-start"
          id="baseBranch"
          label="Base branch"
          error={errors.baseBranch ?? (branches.error ? branches.error.message : undefined)}
          hint={
            branches.isFetching ? "Reading the repository's branches…" : "Where the agent's branch starts."
          }
        >
          <Select
            {...fieldProps("baseBranch", errors.baseBranch)}
            key={`${repoId}:${branchOptions.join(",")}`}
            defaultValue={chosenBranch}
            className="font-mono"
          >
            {branchOptions.map((branch) => (
              <option key={branch} value={branch}>
                {branch}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          className="content-start"
          id="agentId"
          label="Agent"
          error={errors.agentId ?? agent?.unavailable}
          hint={agent ? <span className="font-mono">{agent.model}</span> : undefined}
        >
          <Select
            {...fieldProps("agentId", errors.agentId)}
            defaultValue={values.agentId}
            onChange={(event) => setAgentId(event.target.value)}
          >
            {agents.map((a) => (
              <option key={a.id} value={a.id} disabled={Boolean(a.unavailable)}>
                {a.unavailable ? `${a.name} (needs ANTHROPIC_API_KEY)` : a.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          className="content-start"
          id="reviewerId"
          label="Reviewer"
          error={errors.reviewerId}
          hint="Optional. Who reviews the diff when the agent is done."
        >
          <Select {...fieldProps("reviewerId", errors.reviewerId)} defaultValue={values.reviewerId ?? ""}>
            <option value="">No reviewer</option>
            {reviewers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <DependencyPicker
        key={state.at ?? 0}
        options={dependencyOptions}
        initial={(values.dependsOn ?? "").split("\n").filter(Boolean)}
        error={errors.dependsOn}
      />
      <div className="grid gap-2">
        {/* Not a label or an "Assign" button: the form's own Agent field and Assign button keep unique names. */}
        <div className="flex items-center gap-2">
          <Button
            type="button"
            variant="secondary"
            size="sm"
            aria-expanded={several}
            aria-controls="several-agents"
            onClick={() => {
              setSeveral(!several);
              setAlsoIds([]);
            }}
          >
            <Users aria-hidden /> {several ? "Just one agent" : "Run with several agents"}
          </Button>
          <span className="text-xs text-muted-foreground">
            The same task to each, every one on its own run and branch, side by side on the board.
          </span>
        </div>
        {several ? (
          <fieldset
            id="several-agents"
            className="grid gap-1.5 rounded-md border px-4 pt-2 pb-3"
            aria-describedby={errors.alsoAgentIds ? "alsoAgentIds-error" : undefined}
            onChange={(event) =>
              setAlsoIds(
                [
                  ...event.currentTarget.querySelectorAll<HTMLInputElement>(
                    "input[name=alsoAgentIds]:checked",
                  ),
                ].map((input) => input.value),
              )
            }
          >
            <legend className="px-1 text-sm font-medium">Also assign to</legend>
            {others.length === 0 ? (
              <p className="text-xs text-muted-foreground">There is no other agent yet.</p>
            ) : (
              others.map((other) => (
                <label key={other.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    name="alsoAgentIds"
                    value={other.id}
                    defaultChecked={alsoChosen.has(other.id)}
                    disabled={Boolean(other.unavailable)}
                    className="size-4"
                  />
                  {other.name} <span className="font-mono text-xs text-muted-foreground">{other.model}</span>
                  {other.unavailable ? (
                    <span className="text-xs text-muted-foreground">needs ANTHROPIC_API_KEY</span>
                  ) : null}
                </label>
              ))
            )}
            {errors.alsoAgentIds ? (
              <p id="alsoAgentIds-error" className="text-xs text-danger" role="alert">
                {errors.alsoAgentIds}
              </p>
            ) : null}
          </fieldset>
        ) : null}
      </div>
      <fieldset className="grid gap-3 rounded-md border px-4 pt-2 pb-4">
        <legend className="px-1 text-sm font-medium">Budget overrides</legend>
        <p className="text-xs text-muted-foreground">
          Optional. Empty fields use {chosenAgents.length > 1 ? "each agent's own" : "the agent's"} budget; a
          run stops when it reaches any of them.
        </p>
        {chosenAgents.length > 1 ? (
          <ul className="grid gap-0.5 text-xs text-muted-foreground" data-testid="agent-budgets">
            {chosenAgents.map((each) => (
              <li key={each.id} className="tabular">
                <span className="font-medium text-foreground">{each.name}</span>: {each.maxSteps} steps ·{" "}
                {formatUsd(each.maxCostUsd)} · {Math.round(each.maxDurationSec / 60)} min
              </li>
            ))}
          </ul>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-3">
          <Field className="content-start" id="maxSteps" label="Max steps" error={errors.maxSteps}>
            <Input
              {...fieldProps("maxSteps", errors.maxSteps)}
              defaultValue={values.maxSteps}
              type="number"
              min={1}
              step={1}
              className="tabular"
              placeholder={budgetPlaceholder((a) => a.maxSteps)}
            />
          </Field>
          <Field className="content-start" id="maxCostUsd" label="Max cost (USD)" error={errors.maxCostUsd}>
            <Input
              {...fieldProps("maxCostUsd", errors.maxCostUsd)}
              defaultValue={values.maxCostUsd}
              type="number"
              min={0}
              step="any"
              className="tabular"
              placeholder={budgetPlaceholder((a) => a.maxCostUsd)}
            />
          </Field>
          <Field
            className="content-start"
            id="maxDurationMin"
            label="Max duration (minutes)"
            error={errors.maxDurationMin}
          >
            <Input
              {...fieldProps("maxDurationMin", errors.maxDurationMin)}
              defaultValue={values.maxDurationMin}
              type="number"
              min={1}
              step="any"
              className="tabular"
              placeholder={budgetPlaceholder((a) => Math.round(a.maxDurationSec / 60))}
            />
          </Field>
        </div>
      </fieldset>
      {showFormError ? <FormError state={state} /> : null}
      <div className="flex items-center gap-3">
        <SubmitButton pendingText="Assigning…">
          {runCount > 1 ? `Assign to ${runCount} agents` : "Assign"}
        </SubmitButton>
        <span className="text-xs text-muted-foreground">
          {runCount > 1
            ? "Each agent starts at once on its own branch; the task page shows their runs side by side."
            : "The agent starts at once on its own branch; you can watch and steer it."}
        </span>
      </div>
    </form>
  );
}
