// Reach's subscriptions as the wiring and other features use them (dependency rule: .dependency-cruiser.cjs).
export { DeliveryEngine } from "./delivery.service";
export { subscriptionPagesRouter } from "./pages.router";
export { RESOLVERS } from "./resolvers";
