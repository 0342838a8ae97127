"use client";

import { useActionState } from "react";
import { createRepoAction, updateRepoAction } from "@/app/(dashboard)/repos/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input, Select } from "@/components/ui/input";
import { initialFormState } from "@/lib/actions/form-state";

const FIELDS = ["name", "source", "defaultBranch", "mergeStrategy", "setupCommand", "testCommand"];

export interface RepoFormValues {
  id: string;
  name: string;
  source: string;
  defaultBranch: string;
  setupCommand: string | null;
  testCommand: string | null;
  mergeStrategy: "merge" | "squash";
}

/**
 * Registers a repository (no `repo`) or edits one. The server checks the source with git, so errors
 * come back per field and the typed values are shown again.
 */
export function RepoForm({ repo }: { repo?: RepoFormValues }) {
  const [state, action] = useActionState(repo ? updateRepoAction : createRepoAction, initialFormState);
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  // After a failed submission, what the person typed; otherwise what is saved.
  const values: Record<string, string | undefined> = state.values ?? {
    name: repo?.name,
    source: repo?.source,
    defaultBranch: repo?.defaultBranch,
    setupCommand: repo?.setupCommand ?? undefined,
    testCommand: repo?.testCommand ?? undefined,
    mergeStrategy: repo?.mergeStrategy,
  };
  // An error about one field is shown under that field only, not twice.
  const showFormError = !FIELDS.some((field) => errors[field] && errors[field] === state.error);

  return (
    <form action={action} className="grid gap-5" noValidate>
      {repo ? <input type="hidden" name="id" value={repo.id} /> : null}
      <Field id="name" label="Name" error={errors.name} hint="How people pick it when they assign a task.">
        <Input
          {...fieldProps("name", errors.name)}
          defaultValue={values.name}
          placeholder="web-app"
          maxLength={80}
        />
      </Field>
      <Field
        id="source"
        label="Source"
        error={errors.source}
        hint={
          <>
            A path on the server (<code className="font-mono">/srv/code/web-app</code>,{" "}
            <code className="font-mono">~/code/web-app</code>) or a clone URL (
            <code className="font-mono">git@github.com:acme/web-app.git</code>). The server must be able to
            read it without a password prompt.
          </>
        }
      >
        <Input
          {...fieldProps("source", errors.source)}
          defaultValue={values.source}
          className="font-mono"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          placeholder="/srv/code/web-app"
        />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          id="defaultBranch"
          label="Default branch"
          error={errors.defaultBranch}
          hint="Tasks branch off it and merge back into it. Leave empty to use the repository's HEAD branch."
        >
          <Input
            {...fieldProps("defaultBranch", errors.defaultBranch)}
            defaultValue={values.defaultBranch}
            className="font-mono"
            spellCheck={false}
            autoCapitalize="off"
          />
        </Field>
        <Field
          id="mergeStrategy"
          label="Merge strategy"
          error={errors.mergeStrategy}
          hint="Merge keeps the agent's commits; squash lands one commit."
        >
          <Select
            {...fieldProps("mergeStrategy", errors.mergeStrategy)}
            defaultValue={values.mergeStrategy ?? "merge"}
          >
            <option value="merge">Merge commit</option>
            <option value="squash">Squash</option>
          </Select>
        </Field>
      </div>
      <Field
        id="setupCommand"
        label="Setup command"
        error={errors.setupCommand}
        hint="Optional. Runs in each new worktree before the agent starts, e.g. npm ci."
      >
        <Input
          {...fieldProps("setupCommand", errors.setupCommand)}
          defaultValue={values.setupCommand}
          className="font-mono"
          spellCheck={false}
          autoCapitalize="off"
        />
      </Field>
      <Field
        id="testCommand"
        label="Test command"
        error={errors.testCommand}
        hint="Optional. Verifies the agent's work before review, e.g. npm test. Exit code 0 means passed."
      >
        <Input
          {...fieldProps("testCommand", errors.testCommand)}
          defaultValue={values.testCommand}
          className="font-mono"
          spellCheck={false}
          autoCapitalize="off"
        />
      </Field>
      {showFormError ? <FormError state={state} /> : null}
      <div className="flex items-center gap-3">
        <SubmitButton pendingText={repo ? "Saving…" : "Checking the repository…"}>
          {repo ? "Save changes" : "Register repository"}
        </SubmitButton>
        {repo ? null : (
          <span className="text-xs text-muted-foreground">Foreman reads the branches with git first.</span>
        )}
      </div>
    </form>
  );
}
