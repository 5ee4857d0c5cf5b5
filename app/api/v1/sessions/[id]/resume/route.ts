import { otherMethods } from "@/lib/api/respond";
import { controlRoute } from "../../_shared";

export const POST = controlRoute("resume");

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
