// Shared rate limits as features use them (dependency rule: .dependency-cruiser.cjs).
export { type LimitSpec, RateLimits } from "./rate-limit";
