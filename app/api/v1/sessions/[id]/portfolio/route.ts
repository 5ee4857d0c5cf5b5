import { z } from "zod";
import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods, parseQuery } from "@/lib/api/respond";
import { callAgentTool } from "@/lib/services/outside-agent";
import { type Params } from "../../_shared";

/** get_portfolio over REST, as the session's model (a model API token, or the owner): docs/api.md, "Sessions as an agent". */
export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => {
    parseQuery(req, z.strictObject({}));
    return Response.json(await callAgentTool(agent, "get_portfolio", {}));
  });
};

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
