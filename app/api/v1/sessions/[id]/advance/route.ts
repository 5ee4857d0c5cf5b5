import { asSessionAgent } from "@/lib/api/agent-auth";
import { otherMethods } from "@/lib/api/respond";
import { lazySessionJobs } from "@/lib/jobs/boss";
import { readJsonBody } from "@/lib/json-body";
import { advanceAsAgent } from "@/lib/services/outside-agent";
import { type Params } from "../../_shared";

/**
 * end_turn over REST: ends the outside agent's turn at the session's current bar (body `{}` or `{"bar": n}`: only the
 * turn at bar n, so a retry cannot end the next one). As the session's model (a model API token) or its owner.
 */
export const POST = async (req: Request, { params }: Params) => {
  const { id } = await params;
  return asSessionAgent(req, id, async (agent) => Response.json(await advanceAsAgent(agent, await readJsonBody(req, { allowEmpty: true }), { jobs: lazySessionJobs() })));
};

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
