// The queues feature as other features use it (dependency rule: .dependency-cruiser.cjs).
export { queueLoader } from "./queue.loader";
export * from "./queue.service";
