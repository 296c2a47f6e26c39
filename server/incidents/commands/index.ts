// Every incident command, one theme per file; each is a few lines on top of the engine
// (../command-engine.ts). Resolvers and other features import them from here.
export * from "./assignment";
export * from "./documentation";
export * from "./hold";
export * from "./input";
export * from "./open";
export * from "./redaction";
export * from "./requester";
export * from "./resolution";
export * from "./room-roles";
export * from "./sla";
export * from "./timeline";
export * from "./update";
