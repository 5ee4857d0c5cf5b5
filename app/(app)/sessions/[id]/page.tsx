import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SessionViewer } from "@/components/session/session-viewer";
import { SessionChat } from "@/components/session-chat";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { parseSearchParams } from "@/lib/schemas/search-params";
import { viewerQuerySchema } from "@/lib/schemas/session";
import { makeQueryClient } from "@/lib/query-client";
import { getViewerState } from "@/lib/services/session-view";
import { viewerKey } from "@/lib/viewer/keys";

export const metadata: Metadata = { title: "Session" };

/** The live viewer: loaded here as the user (RLS), hydrated into TanStack Query, then kept live by SSE. */
export default async function SessionPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const { filter, error } = parseSearchParams(viewerQuerySchema, await searchParams);
  const user = await requireUser();
  const state = await getViewerState({ userId: user.id, claims: user.claims }, id).catch((err: unknown) => {
    if (err instanceof AppError && err.kind === "not_found") notFound();
    throw err;
  });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(viewerKey(id), state);
  return (
    <div className="grid gap-4">
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SessionViewer sessionId={id} show={filter.show} showError={error} />
      </HydrationBoundary>
      {/* "Ask the model" about this session (docs/chat.md): read-only, it cannot trade. */}
      <SessionChat sessionId={id} />
    </div>
  );
}
