import { asUser, jsonBody, otherMethods } from "@/lib/api/respond";
import { createModelToken, listModelTokens } from "@/lib/services/model-tokens";

type Params = { params: Promise<{ id: string }> };

/** The model's API tokens, newest first, revoked and expired ones too; never a secret (docs/model-tokens.md). */
export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ tokens: await listModelTokens(ctx, (await params).id) }));

/** `{name, expiresInDays?, sessionId?}` → 201 with the token itself, shown this once. */
export const POST = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const body = await jsonBody(req);
    const created = await createModelToken(ctx, (await params).id, body);
    return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  });

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
