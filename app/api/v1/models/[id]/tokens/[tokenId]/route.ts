import { asUser, otherMethods } from "@/lib/api/respond";
import { revokeModelToken } from "@/lib/services/model-tokens";

type Params = { params: Promise<{ id: string; tokenId: string }> };

/** Revokes the token: refused at once from then on. Idempotent: a revoked token answers as it is (200). */
export const DELETE = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const { id, tokenId } = await params;
    return Response.json(await revokeModelToken(ctx, id, tokenId));
  });

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
