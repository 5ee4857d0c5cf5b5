import { otherMethods } from "@/lib/api/respond";
import { controlRoute } from "../../_shared";

export const POST = controlRoute("pause");

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
