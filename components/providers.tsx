"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { ThemeProvider, useTheme } from "next-themes";
import { createContext, useContext, useState, type ReactNode } from "react";
import { Toaster } from "sonner";
import { z } from "zod";
import { makeQueryClient } from "@/lib/query-client";
import { createClient } from "@/lib/supabase/client";

// The CSP allows no eval: zod's probe for it (new Function, caught) would still report a violation.
z.config({ jitless: true });

interface SupabaseConfig {
  url: string | null;
  publishableKey: string;
}
const SupabaseConfigContext = createContext<SupabaseConfig | null>(null);

/**
 * A getter for the browser Supabase client, configured by the server (see app/layout.tsx). Call it in
 * event handlers: the client needs `window`, which server rendering does not have.
 */
export function useSupabase() {
  const config = useContext(SupabaseConfigContext);
  if (!config) throw new Error("useSupabase outside <Providers>");
  return () => createClient(config.url, config.publishableKey);
}

export function Providers({ supabase, nonce, children }: { supabase: SupabaseConfig; nonce?: string; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <SupabaseConfigContext.Provider value={supabase}>
      <QueryClientProvider client={queryClient}>
        <ThemeProvider nonce={nonce} attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
          {children}
          <ThemedToaster />
        </ThemeProvider>
      </QueryClientProvider>
    </SupabaseConfigContext.Provider>
  );
}

/** Toasts in the page's theme (Sonner's own default is light, whatever the page's). */
function ThemedToaster() {
  const { resolvedTheme } = useTheme();
  return <Toaster richColors position="bottom-right" theme={resolvedTheme === "dark" ? "dark" : "light"} />;
}
