import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { Card, CardHeader } from "@/components/ui/card";
import { hasPassword } from "@/lib/auth/change-password";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountSettingsPage() {
  const actor = await requireActor();
  const withPassword = await hasPassword(actor.userId);
  return (
    <div className="grid gap-3">
      <Card>
        <CardHeader title="Your account" description="Only you see this page's details." />
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1.5 px-4 py-3 text-sm">
          <dt className="text-muted-foreground">Name</dt>
          <dd>{actor.name}</dd>
          <dt className="text-muted-foreground">Email</dt>
          <dd>{actor.email}</dd>
        </dl>
      </Card>
      <Card>
        <CardHeader
          title="Password"
          description={
            withPassword
              ? "Changing it signs you out everywhere, this browser too; then you sign in with the new one."
              : undefined
          }
        />
        <div className="px-4 py-4">
          {withPassword ? (
            <ChangePasswordForm />
          ) : (
            <p className="text-sm" data-testid="github-only">
              Your account signs in through GitHub and has no Foreman password. Manage sign-in on GitHub.
            </p>
          )}
        </div>
      </Card>
    </div>
  );
}
