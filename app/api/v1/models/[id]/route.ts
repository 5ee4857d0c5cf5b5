import { asUser, jsonBody, otherMethods } from "@/lib/api/respond";
import { modelJson } from "@/lib/api/serialize";
import { modelPatchSchema } from "@/lib/schemas/model";
import { getModel, patchModel, setModelActive } from "@/lib/services/models";

type Params = { params: Promise<{ id: string }> };

export const GET = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ model: modelJson(await getModel(ctx, (await params).id)) }));

export const PATCH = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => {
    const patch = modelPatchSchema.parse(await jsonBody(req));
    return Response.json({ model: modelJson(await patchModel(ctx, (await params).id, patch)) });
  });

/** Archives: a model's sessions, orders and fills stay for the audit trail. PATCH isActive restores it. */
export const DELETE = (req: Request, { params }: Params) =>
  asUser(req, async (ctx) => Response.json({ model: modelJson(await setModelActive(ctx, (await params).id, false)) }));

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
