import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { headers } from "next/headers";
import type * as React from "react";
import { Providers } from "@/components/app/providers";
import "./globals.css";

// Every page shows live team data; nothing is prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Foreman", template: "%s · Foreman" },
  description: "Supervise many AI coding agents as a team.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Set per request by proxy.ts; Next nonces its own scripts, ours (the theme script) need it passed on.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans text-sm">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
