"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { changeRoleAction } from "@/app/(dashboard)/settings/members/actions";
import { useSuccessToast } from "@/components/ui/form-feedback";
import { Select } from "@/components/ui/input";
import type { Role } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";

const ROLES: Role[] = ["admin", "developer", "viewer"];

/** Changing the select saves at once; a refusal (e.g. the last admin) is toasted and the select snaps back. */
export function MemberRoleSelect({ userId, name, role }: { userId: string; name: string; role: Role }) {
  const [state, action, pending] = useActionState(changeRoleAction, { ok: false });
  const [value, setValue] = useState<Role>(role);
  const form = useRef<HTMLFormElement>(null);
  useSuccessToast(state);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per submission, keyed by `at`
  useEffect(() => {
    if (!state.ok && state.at) {
      toast.error(state.error ?? Object.values(state.fieldErrors ?? {})[0] ?? "The role wasn't changed.");
      setValue(role);
    }
  }, [state.at]);
  return (
    <form ref={form} action={action}>
      <input type="hidden" name="userId" value={userId} />
      <Select
        name="role"
        aria-label={`Access level for ${name}`}
        value={value}
        disabled={pending}
        className="w-32"
        onChange={(event) => {
          setValue(event.target.value as Role);
          form.current?.requestSubmit();
        }}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </Select>
    </form>
  );
}
