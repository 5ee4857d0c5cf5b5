import { z } from "zod";
import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods, parseQuery } from "@/lib/api/respond";
import { callAgentTool } from "@/lib/services/outside-agent";
import { type Params } from "../../_shared";

const query = z.strictObject({
  symbol: z.string(),
  interval: z.string().optional(),
  limit: z.string().regex(/^\d{1,6}$/, "a whole number").transform(Number).optional(),
});

/** get_bars over REST, as the session's model (a model API token, or the owner): docs/api.md, "Sessions as an agent". */
export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => Response.json(await callAgentTool(agent, "get_bars", parseQuery(req, query))));
};

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
