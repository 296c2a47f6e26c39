// The incidents feature as other features use it: its public projection (one owner) and its
// commands (dependency rule: .dependency-cruiser.cjs).
export * from "./commands";
export { defineRequesterJobs } from "./commands/requester-confirmation";
export * from "./public-event";
export * from "./public-projection";
export { requesterPagesRouter } from "./requester-pages.router";
