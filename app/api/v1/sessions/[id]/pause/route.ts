import { controlRoute } from "../../_shared";

export const POST = controlRoute("pause");
