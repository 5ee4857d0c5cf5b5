export * from "./agent";
export * from "./local-auth";
export * from "./market";
export * from "./models";
export * from "./profiles";
export * from "./trading";
export * from "./sessions-events";
export * from "./chat";
