import { z } from "zod";
import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods, parseQuery } from "@/lib/api/respond";
import { callAgentTool } from "@/lib/services/outside-agent";
import { type Params } from "../../../_shared";

const number = z.string().regex(/^\d+(\.\d+)?$/, "a number, e.g. 250 or 0.25").transform(Number);

/** The query string: get_option_chain's arguments as text (the tool checks their meaning and answers in its words). */
const query = z.strictObject({
  underlying: z.string(),
  expiry: z.string().optional(),
  expiryFrom: z.string().optional(),
  expiryTo: z.string().optional(),
  right: z.string().optional(),
  minStrike: number.optional(),
  maxStrike: number.optional(),
  minDelta: number.optional(),
  maxDelta: number.optional(),
  limit: z.string().regex(/^\d{1,6}$/, "a whole number").transform(Number).optional(),
});

/** get_option_chain over REST, as the session's model (a model API token, or the owner): docs/api.md, "Sessions as an agent". */
export const GET = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => Response.json(await callAgentTool(agent, "get_option_chain", parseQuery(req, query))));
};

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
