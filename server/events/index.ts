// The outbox and the event hub as features use them (dependency rule: .dependency-cruiser.cjs).
export { CoalescingPump } from "./coalescing-pump";
export { type EventFilter, EventHub, parseSeq } from "./hub";
export * from "./outbox";
export * from "./since";
