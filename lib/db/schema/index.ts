export * from "./local-auth";
export * from "./models";
export * from "./profiles";
