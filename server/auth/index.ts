// The auth feature as other features use it (dependency rule: .dependency-cruiser.cjs).
export * from "./guard";
export { sha256 } from "./secrets";
export { userLoader } from "./user.loader";
