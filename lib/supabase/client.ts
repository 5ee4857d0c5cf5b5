"use client";
import { createBrowserClient } from "@supabase/ssr";
import { AUTH_COOKIE_NAME } from "./config";

/**
 * The browser's Supabase client. `url` is null with the built-in auth: the page's own origin serves
 * /auth/v1. The server passes url and key down as props, so nothing is baked in at build time.
 */
export function createClient(url: string | null, publishableKey: string) {
  return createBrowserClient(url ?? window.location.origin, publishableKey, {
    cookieOptions: { name: AUTH_COOKIE_NAME },
  });
}
