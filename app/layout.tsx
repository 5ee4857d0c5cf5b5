import type { Metadata } from "next";
import { headers } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { supabaseBrowserUrl, supabasePublishableKey } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bullpen", template: "%s · Bullpen" },
  description: "Open-source AI trading desk",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection(); // render per request: the auth settings below are runtime configuration, not build-time
  const nonce = (await headers()).get("x-nonce") ?? undefined; // proxy.ts's, for the theme's inline script
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen font-sans antialiased">
        <Providers supabase={{ url: supabaseBrowserUrl, publishableKey: supabasePublishableKey }} nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
