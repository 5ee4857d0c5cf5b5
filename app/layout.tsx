import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { supabaseBrowserUrl, supabasePublishableKey } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Bullpen", template: "%s · Bullpen" },
  description: "Open-source AI trading desk",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen font-sans antialiased">
        <Providers supabase={{ url: supabaseBrowserUrl, publishableKey: supabasePublishableKey }}>{children}</Providers>
      </body>
    </html>
  );
}
