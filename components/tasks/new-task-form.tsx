"use client";

import { useActionState, useState } from "react";
import { createTaskAction } from "@/app/(dashboard)/tasks/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton } from "@/components/ui/form-feedback";
import { Input, Select, Textarea } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

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
  "reviewerId",
  "maxSteps",
  "maxCostUsd",
  "maxDurationMin",
];

/** Assigns a task: the server queues its first run and sends the person to watch it. */
export function NewTaskForm({
  repos,
  agents,
  reviewers,
  initial,
}: {
  repos: RepoOption[];
  agents: AgentOption[];
  reviewers: ReviewerOption[];
  initial: { repoId?: string; agentId?: string; title?: string; prompt?: string };
}) {
  const [state, action] = useActionState(createTaskAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  // After a failed submission, what the person typed; otherwise the preselection.
  const values: Record<string, string | undefined> = state.values ?? {
    title: initial.title,
    prompt: initial.prompt,
    repoId: initial.repoId ?? repos[0]?.id,
    agentId: initial.agentId ?? agents[0]?.id,
  };
  const [repoId, setRepoId] = useState(values.repoId);
  const [agentId, setAgentId] = useState(values.agentId);
  const repo = repos.find((r) => r.id === repoId);
  const agent = agents.find((a) => a.id === agentId);
  const showFormError = !FIELDS.some((field) => errors[field] && errors[field] === state.error);

  return (
    <form action={action} className="grid gap-5" noValidate>
      <Field id="title" label="Title" error={errors.title}>
        <Input
          {...fieldProps("title", errors.title)}
          defaultValue={values.title}
          maxLength={200}
          placeholder="Fix the flaky login test"
          autoFocus={!values.title}
        />
      </Field>
      <Field
        id="prompt"
        label="Prompt"
        error={errors.prompt}
        hint="What the agent should do, as you would tell a colleague. It sees the repository, not this page."
      >
        <Textarea
          {...fieldProps("prompt", errors.prompt)}
          defaultValue={values.prompt}
          className="min-h-36 font-mono text-xs leading-relaxed"
          spellCheck={false}
        />
      </Field>
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
          error={errors.baseBranch}
          hint="Empty: the repository's default branch."
        >
          <Input
            {...fieldProps("baseBranch", errors.baseBranch)}
            defaultValue={values.baseBranch}
            placeholder={repo?.defaultBranch ?? "main"}
            className="font-mono"
            spellCheck={false}
            autoCapitalize="off"
          />
        </Field>
        <Field
          className="content-start"
          id="agentId"
          label="Agent"
          error={errors.agentId}
          hint={agent ? <span className="font-mono">{agent.model}</span> : undefined}
        >
          <Select
            {...fieldProps("agentId", errors.agentId)}
            defaultValue={values.agentId}
            onChange={(event) => setAgentId(event.target.value)}
          >
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
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
      <fieldset className="grid gap-3 rounded-md border px-4 pt-2 pb-4">
        <legend className="px-1 text-sm font-medium">Budget overrides</legend>
        <p className="text-xs text-muted-foreground">
          Optional. Empty fields use the agent's budget; the run stops when it reaches any of them.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field className="content-start" id="maxSteps" label="Max steps" error={errors.maxSteps}>
            <Input
              {...fieldProps("maxSteps", errors.maxSteps)}
              defaultValue={values.maxSteps}
              type="number"
              min={1}
              step={1}
              className="tabular"
              placeholder={agent ? String(agent.maxSteps) : undefined}
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
              placeholder={agent ? String(agent.maxCostUsd) : undefined}
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
              placeholder={agent ? String(Math.round(agent.maxDurationSec / 60)) : undefined}
            />
          </Field>
        </div>
      </fieldset>
      {showFormError ? <FormError state={state} /> : null}
      <div className="flex items-center gap-3">
        <SubmitButton pendingText="Assigning…">Assign</SubmitButton>
        <span className="text-xs text-muted-foreground">
          The agent starts at once on its own branch; you can watch and steer it.
        </span>
      </div>
    </form>
  );
}
