"use client";

import { UserPlus } from "lucide-react";
import { useActionState, useState } from "react";
import { createInviteAction } from "@/app/(dashboard)/settings/members/actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { Field, fieldProps } from "@/components/ui/field";
import { FormError, SubmitButton, useSuccessToast } from "@/components/ui/form-feedback";
import { Select } from "@/components/ui/input";
import type { Role } from "@/db/schema";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/permissions";
import { CopyField } from "./copy-field";

const ROLES: Role[] = ["developer", "viewer", "admin"];

export function InviteDialog() {
  const [open, setOpen] = useState(false);
  // A fresh form each time the dialog opens, so an old link never shows again.
  const [round, setRound] = useState(0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setRound((r) => r + 1);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlus aria-hidden /> Invite someone
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Invite someone"
        description="Create a link and send it to them. Whoever opens it can join your team with the role you choose."
      >
        <InviteForm key={round} />
      </DialogContent>
    </Dialog>
  );
}

function InviteForm() {
  const [state, action] = useActionState(createInviteAction, { ok: false });
  const [role, setRole] = useState<Role>("developer");
  useSuccessToast(state);
  const errors = state.fieldErrors ?? {};
  if (state.ok && state.data) {
    return (
      <div className="grid gap-3">
        <p className="text-sm">
          Send this link to the person you're inviting. They join as{" "}
          <strong>{ROLE_LABELS[state.data.role]}</strong>; the link works once and expires{" "}
          {new Date(state.data.expiresAt).toLocaleDateString("en", { dateStyle: "medium" })}.
        </p>
        <CopyField value={state.data.url} label="Invite link" testId="invite-url" />
        <p className="text-xs text-muted-foreground">
          The link is shown only now. If it gets lost, revoke it under pending invites and create a new one.
        </p>
        <div className="flex justify-end">
          <DialogClose asChild>
            <Button variant="secondary">Done</Button>
          </DialogClose>
        </div>
      </div>
    );
  }
  return (
    <form action={action} className="grid gap-4">
      <Field id="invite-role" label="Role" error={errors.role} hint={ROLE_DESCRIPTIONS[role]}>
        <Select
          {...fieldProps("invite-role", errors.role)}
          name="role"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="invite-expiry" label="Link expires after" error={errors.expiresInDays}>
        <Select {...fieldProps("invite-expiry", errors.expiresInDays)} name="expiresInDays" defaultValue="7">
          <option value="1">1 day</option>
          <option value="7">7 days</option>
          <option value="30">30 days</option>
        </Select>
      </Field>
      <FormError state={state} />
      <div className="flex justify-end gap-2">
        <DialogClose asChild>
          <Button type="button" variant="secondary">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pendingText="Creating…">Create invite link</SubmitButton>
      </div>
    </form>
  );
}
