// The timeline's chain as features use it: the one way to append, verify and redact.
export * from "./chain";
export * from "./timeline.service";
