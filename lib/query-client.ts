import { QueryClient } from "@tanstack/react-query";

/** One QueryClient factory: a short stale time, and no retry on answers that will not change (4xx). */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => {
          const status = (error as { status?: number })?.status;
          if (status !== undefined && status >= 400 && status < 500) return false;
          return failures < 2;
        },
      },
    },
  });
}
