import { asUser, jsonBody, otherMethods } from "@/lib/api/respond";
import { modelJson } from "@/lib/api/serialize";
import { modelInputSchema } from "@/lib/schemas/model";
import { createModel, listModels } from "@/lib/services/models";

export const GET = (req: Request) =>
  asUser(req, async (ctx) => Response.json({ models: (await listModels(ctx)).map(modelJson) }));

export const POST = (req: Request) =>
  asUser(req, async (ctx) => {
    const input = modelInputSchema.strict().parse(await jsonBody(req));
    return Response.json({ model: modelJson(await createModel(ctx, input)) }, { status: 201 });
  });

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
