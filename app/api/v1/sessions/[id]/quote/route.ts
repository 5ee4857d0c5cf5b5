import { z } from "zod";
import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods, parseQuery } from "@/lib/api/respond";
import { callAgentTool } from "@/lib/services/outside-agent";
import { type Params } from "../../_shared";

/** get_quote over REST, as the session's model (a model API token, or the owner): docs/api.md, "Sessions as an agent". */
export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => {
    const query = parseQuery(req, z.strictObject({ symbol: z.string() }));
    return Response.json(await callAgentTool(agent, "get_quote", query));
  });
};

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
