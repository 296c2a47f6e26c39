export * from "./business-days";
export * from "./closure";
export * from "./lifecycle";
export * from "./permissions";
export * from "./priority";
export * from "./status";
export * from "./text";
export * from "./vocabulary";
