"use client";

import { useActionState, useState } from "react";
import { createRepoAction, updateRepoAction } from "@/app/(dashboard)/repos/actions";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { NetworkPolicy } from "@/db/schema";
import { initialFormState } from "@/lib/actions/form-state";
import { NETWORK_DESCRIPTIONS, NETWORK_LABELS, NetworkSummary } from "./network-summary";

const FIELDS = [
  "name",
  "source",
  "defaultBranch",
  "mergeStrategy",
  "setupCommand",
  "testCommand",
  "network",
  "allowedHosts",
];

export interface RepoFormValues {
  id: string;
  name: string;
  source: string;
  defaultBranch: string;
  setupCommand: string | null;
  testCommand: string | null;
  mergeStrategy: "merge" | "squash";
  network: NetworkPolicy;
  allowedHosts: string[];
}

/**
 * Registers a repository (no `repo`) or edits one. The server checks the source with git, so errors
 * come back per field and the typed values are shown again. `sourceRoots` are the folders local sources
 * must be inside (FOREMAN_REPO_ROOTS), null when any folder but Foreman's own will do. Only admins
 * (`canSetNetwork`) see the network policy as fields; others see it read only and don't send it.
 */
export function RepoForm({
  repo,
  sourceRoots,
  canSetNetwork,
}: {
  repo?: RepoFormValues;
  sourceRoots: string[] | null;
  canSetNetwork: boolean;
}) {
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
    network: repo?.network,
    allowedHosts: repo?.allowedHosts.join("\n"),
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
            read it without a password prompt.{" "}
            {sourceRoots ? (
              <>
                Local paths must be inside:{" "}
                {sourceRoots.map((root, i) => (
                  <span key={`${i}:${root}`}>
                    {i > 0 ? ", " : null}
                    <code className="font-mono">{root}</code>
                  </span>
                ))}
                .
              </>
            ) : (
              "Not Foreman's data folder or its own app folder."
            )}
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
      <NetworkFields
        key={state.at}
        canSet={canSetNetwork}
        saved={{ network: repo?.network ?? "none", allowedHosts: repo?.allowedHosts ?? [] }}
        values={values}
        errors={errors}
      />
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

/** The network policy: a choice for admins, its description for everyone else (whose form doesn't send it). */
function NetworkFields({
  canSet,
  saved,
  values,
  errors,
}: {
  canSet: boolean;
  saved: { network: NetworkPolicy; allowedHosts: string[] };
  values: Record<string, string | undefined>;
  errors: Record<string, string>;
}) {
  const [network, setNetwork] = useState(values.network ?? saved.network);
  if (!canSet) {
    return (
      <div className="grid gap-1.5 text-sm">
        <span className="font-medium">Network</span>
        <NetworkSummary {...saved} />
        {errors.network ? (
          <p className="text-xs text-danger" role="alert">
            {errors.network}
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">Only an admin can change what runs may reach.</p>
        )}
      </div>
    );
  }
  const allowlist = network === "allowlist";
  return (
    <>
      <Field
        id="network"
        label="Network"
        error={errors.network}
        hint="What commands in this repository's runs may reach. Services on the server itself are never reachable."
      >
        <Select
          {...fieldProps("network", errors.network)}
          value={network}
          onChange={(event) => setNetwork(event.target.value as NetworkPolicy)}
        >
          {(Object.keys(NETWORK_LABELS) as NetworkPolicy[]).map((policy) => (
            <option key={policy} value={policy}>
              {NETWORK_LABELS[policy]}: {NETWORK_DESCRIPTIONS[policy]}
            </option>
          ))}
        </Select>
      </Field>
      {/* Hidden, not removed, so the hosts survive switching away and back; disabled, so not sent. */}
      <Field
        id="allowedHosts"
        label="Allowed hosts"
        error={errors.allowedHosts}
        className={allowlist ? undefined : "hidden"}
        hint={
          <>
            One a line, at most 50: host names (<code className="font-mono">registry.npmjs.org</code>) or{" "}
            <code className="font-mono">*.example.com</code> for its subdomains. No IP addresses, schemes or
            ports.
          </>
        }
      >
        <Textarea
          {...fieldProps("allowedHosts", errors.allowedHosts)}
          defaultValue={values.allowedHosts}
          disabled={!allowlist}
          rows={4}
          className="font-mono"
          spellCheck={false}
          autoCapitalize="off"
          placeholder="registry.npmjs.org"
        />
      </Field>
    </>
  );
}
