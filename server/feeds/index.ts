// Atom/RSS feeds as the wiring uses them (dependency rule: .dependency-cruiser.cjs).
export { feedRouter } from "./feed.router";
