import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { instanceHasTeam } from "@/lib/teams/onboarding";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await instanceHasTeam()) {
    return (
      <>
        <h1 className="text-base font-semibold">Join your team</h1>
        <p className="mt-2 text-sm text-muted-foreground">
          This Foreman already has a team. To join it, open the invite link an admin sent you. Admins create
          invites in Settings → Members.
        </p>
        <Link href="/sign-in" className="mt-5 inline-block text-sm font-medium text-accent hover:underline">
          Back to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="text-base font-semibold">Set up Foreman</h1>
      <p className="mb-5 mt-1 text-sm text-muted-foreground">
        You are the first person here: you create the team and become its admin.
      </p>
      <SignUpForm />
    </>
  );
}
