import { otherMethods } from "@/lib/api/respond";
import { controlRoute } from "../../_shared";

export const POST = controlRoute("cancel");

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
