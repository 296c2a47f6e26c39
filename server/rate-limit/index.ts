// Shared rate limits as features use them (dependency rule: .dependency-cruiser.cjs).
export { type Count, type LimitSpec, RateLimits, rateLimited, waitWords } from "./rate-limit";
