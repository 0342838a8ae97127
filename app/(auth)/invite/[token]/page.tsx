import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { findOpenInvite } from "@/lib/teams/onboarding";

export const metadata: Metadata = { title: "Join" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findOpenInvite(token);
  if (!invite) {
    return (
      <>
        <h1 className="text-base font-semibold">This invite link doesn't work</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          It was already used, revoked, or has expired. Ask an admin of your team for a new one.
        </p>
        <Link href="/sign-in" className="mt-5 inline-block text-sm font-medium text-accent hover:underline">
          Go to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="text-base font-semibold">Join {invite.teamName}</h1>
      <p className="mb-5 mt-1 text-sm text-muted-foreground">
        You're invited as <strong className="text-foreground">{ROLE_LABELS[invite.role]}</strong>. Create your
        account to continue.
      </p>
      <SignUpForm invite={token} />
    </>
  );
}
