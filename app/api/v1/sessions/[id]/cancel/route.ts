import { controlRoute } from "../../_shared";

export const POST = controlRoute("cancel");
