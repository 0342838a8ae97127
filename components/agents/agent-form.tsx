"use client";

import { type ComponentProps, useActionState, useState } from "react";
import { createAgentAction, updateAgentAction } from "@/app/(dashboard)/agents/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input, Select, Textarea } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";
import type { AgentFormDefaults } from "@/lib/agents/form-defaults";
import { SANDBOX_LIMIT_FIELDS, sandboxLimitInputName } from "@/lib/agents/schema";
import { formatRetirementDate, retirementNotice, retirementOf } from "@/lib/models/lifecycle";
import { DEFAULT_SANDBOX_LIMITS, SANDBOX_LIMIT_BOUNDS } from "@/lib/sandbox/limits";

function asText(agent: AgentFormDefaults): Record<string, string> {
  return {
    name: agent.name,
    model: agent.model,
    systemPrompt: agent.systemPrompt,
    maxSteps: String(agent.maxSteps),
    maxCostUsd: String(agent.maxCostUsd),
    maxDurationMinutes: String(Math.round(agent.maxDurationSec / 60)),
    bashTimeoutSec: String(agent.bashTimeoutSec),
    maxConcurrentRuns: String(agent.maxConcurrentRuns),
    thinkingBudget: agent.thinkingBudget === null ? "" : String(agent.thinkingBudget),
    riskyPatterns: agent.riskyPatterns.join("\n"),
    rules: agent.rules.join("\n"),
    // Blank means the default, so an agent without an override shows the default as a placeholder.
    ...Object.fromEntries(
      SANDBOX_LIMIT_FIELDS.map(({ key }) => [
        sandboxLimitInputName(key),
        String(agent.sandboxLimits[key] ?? ""),
      ]),
    ),
  };
}

/** The form's label for each limit; the schema's labels are the ones its messages use. */
const LIMIT_LABELS: Record<(typeof SANDBOX_LIMIT_FIELDS)[number]["key"], string> = {
  memoryMb: "Memory per process (MB)",
  maxProcesses: "Processes",
  cpuSeconds: "CPU time per process (s)",
  outputKb: "Output kept per command (KB)",
};

const grouped = new Intl.NumberFormat("en-US");

const mono = "font-mono text-[13px] leading-relaxed";

export function AgentForm({
  agent,
  models,
  readOnly = false,
}: {
  agent: AgentFormDefaults;
  /** The team's catalogue: the only models an agent may use. */
  models: string[];
  /** Viewers see the profile without being able to change it. */
  readOnly?: boolean;
}) {
  const editing = Boolean(agent.id);
  const [state, action] = useActionState(editing ? updateAgentAction : createAgentAction, initialFormState);
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  // After a refused submission the form shows what was typed, not the stored profile.
  const values = { ...asText(agent), ...(state.ok ? {} : state.values) };
  const options = models.includes(values.model ?? "") || !values.model ? models : [values.model, ...models];
  // Follows the select so the retirement warning is about the model chosen, not the stored one.
  const [model, setModel] = useState(values.model ?? "");
  const retiring = retirementNotice(model);

  const number = (
    id: string,
    label: string,
    hint: string,
    extra?: ComponentProps<typeof Input>,
    className?: string,
  ) => (
    <Field id={id} label={label} error={errors[id]} hint={hint} className={className}>
      <Input
        {...fieldProps(id, errors[id])}
        inputMode="numeric"
        autoComplete="off"
        className="tabular"
        defaultValue={values[id]}
        {...extra}
      />
    </Field>
  );

  return (
    <form action={action} noValidate className="grid gap-6">
      {agent.id ? <input type="hidden" name="id" value={agent.id} /> : null}
      <fieldset
        disabled={readOnly} // Disabled controls fade by default; a read-only profile should still be easy to read.
        className="grid gap-6 [&_:disabled]:cursor-default [&_:disabled]:text-foreground [&_:disabled]:opacity-100!"
      >
        <section className="grid gap-4 rounded-lg border bg-surface p-4 shadow-xs">
          <h2 className="text-sm font-semibold">Profile</h2>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              id="name"
              label="Name"
              error={errors.name}
              hint="Shown on the board and in task assignment."
            >
              <Input
                {...fieldProps("name", errors.name)}
                defaultValue={values.name}
                placeholder="Backend builder"
                autoComplete="off"
                maxLength={80}
              />
            </Field>
            <Field
              id="model"
              label="Model"
              error={errors.model}
              hint={
                retiring ? (
                  <span className="text-warning" data-testid="model-retirement">
                    {retiring}
                  </span>
                ) : (
                  "From the team's model catalogue (Settings → Models)."
                )
              }
            >
              <Select
                {...fieldProps("model", errors.model)}
                defaultValue={values.model}
                onChange={(event) => setModel(event.target.value)}
                className="font-mono"
              >
                {options.map((option) => {
                  const retirement = retirementOf(option);
                  return (
                    <option key={option} value={option}>
                      {retirement
                        ? `${option} (${retirement.retired ? "retired" : "retires"} ${formatRetirementDate(retirement.date)})`
                        : option}
                    </option>
                  );
                })}
              </Select>
            </Field>
          </div>
          <Field
            id="systemPrompt"
            label="System prompt"
            error={errors.systemPrompt}
            hint="Sent before every task: how this agent works, what it knows about your codebase."
          >
            <Textarea
              {...fieldProps("systemPrompt", errors.systemPrompt)}
              defaultValue={values.systemPrompt}
              rows={8}
              spellCheck={false}
              className={mono}
              placeholder={
                readOnly
                  ? "None."
                  : "You are a senior engineer on this repository. Keep changes small and tested."
              }
            />
          </Field>
        </section>

        <section className="grid gap-4 rounded-lg border bg-surface p-4 shadow-xs">
          <div>
            <h2 className="text-sm font-semibold">Budgets</h2>
            <p className="mt-0.5 text-xs text-muted-foreground">
              A run stops when it reaches its step, cost or duration limit.
            </p>
          </div>
          <div className="grid items-start gap-4 sm:grid-cols-3">
            {number("maxSteps", "Max steps", "1 to 10,000 model turns.")}
            {number("maxCostUsd", "Max cost (USD)", "At list price from the catalogue.", {
              inputMode: "decimal",
            })}
            {number("maxDurationMinutes", "Max duration (minutes)", "1 to 1,440 (24 hours).")}
            {number("bashTimeoutSec", "Bash timeout (seconds)", "Per command, 1 to 3,600.")}
            {number(
              "maxConcurrentRuns",
              "Runs at once",
              "This agent's runs working at the same time; more wait in the queue. The team's cap applies too.",
            )}
            {number(
              "thinkingBudget",
              "Thinking budget (tokens)",
              "Empty: no thinking setting is sent, so the model does what it does by default (Claude 4.5 and older don't think). Else at least 1,024: Claude 4.5 and older think up to this many tokens; Claude 4.6 and newer decide how much to think, and the budget adds this room to each reply.",
              { placeholder: "Model default" },
              "sm:col-span-2",
            )}
          </div>
        </section>

        <section
          className="grid gap-4 rounded-lg border bg-surface p-4 shadow-xs"
          aria-labelledby="sandbox-limits-title"
        >
          <div>
            <h2 id="sandbox-limits-title" className="text-sm font-semibold">
              Sandbox limits
            </h2>
            <p className="mt-0.5 text-xs text-muted-foreground">
              Per command the agent runs. Leave a field empty for the default.
            </p>
          </div>
          <div className="grid items-start gap-4 sm:grid-cols-2">
            {SANDBOX_LIMIT_FIELDS.map(({ key }) => {
              const { min, max } = SANDBOX_LIMIT_BOUNDS[key];
              const name = sandboxLimitInputName(key);
              return (
                <Field
                  key={key}
                  id={name}
                  label={LIMIT_LABELS[key]}
                  hint={`${grouped.format(min)} to ${grouped.format(max)}.`}
                >
                  <Input
                    id={name}
                    name={name}
                    aria-invalid={errors.sandboxLimits ? true : undefined}
                    aria-describedby={errors.sandboxLimits ? "sandboxLimits-error" : undefined}
                    inputMode="numeric"
                    autoComplete="off"
                    className="tabular"
                    defaultValue={values[name]}
                    placeholder={`${DEFAULT_SANDBOX_LIMITS[key]} (default)`}
                  />
                </Field>
              );
            })}
          </div>
          {errors.sandboxLimits ? (
            <p id="sandboxLimits-error" className="text-xs text-danger" role="alert">
              {errors.sandboxLimits}
            </p>
          ) : null}
        </section>

        <section className="grid gap-4 rounded-lg border bg-surface p-4 shadow-xs">
          <h2 className="text-sm font-semibold">Guardrails</h2>
          <Field
            id="riskyPatterns"
            label="Risky command patterns"
            error={errors.riskyPatterns}
            hint="One regular expression per line. A bash command that matches waits for a person to approve it."
          >
            <Textarea
              {...fieldProps("riskyPatterns", errors.riskyPatterns)}
              defaultValue={values.riskyPatterns}
              rows={6}
              spellCheck={false}
              className={mono}
            />
          </Field>
          <Field
            id="rules"
            label="Rules"
            error={errors.rules}
            hint="One rule per line, given to the model with every task. Blank lines are ignored."
          >
            <Textarea
              {...fieldProps("rules", errors.rules)}
              defaultValue={values.rules}
              rows={4}
              placeholder={readOnly ? "None." : "Run the test command before finishing."}
            />
          </Field>
        </section>
      </fieldset>

      {readOnly ? null : (
        <div className="grid gap-3">
          <FormError state={state} />
          <div>
            <SubmitButton pendingText={editing ? "Saving…" : "Creating…"}>
              {editing ? "Save changes" : "Create agent"}
            </SubmitButton>
          </div>
        </div>
      )}
    </form>
  );
}
