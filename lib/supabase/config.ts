/** Constants shared by the browser, the proxy and the server. No environment access here. */

/** One cookie name in every mode, so browser, proxy and server agree whatever host name is used. */
export const AUTH_COOKIE_NAME = "sb-bullpen-auth-token";

/** The publishable key of the built-in auth; public by design, like Supabase's anon key. */
export const LOCAL_PUBLISHABLE_KEY = "sb_publishable_bullpen_local";
