// The job runner as features use it (dependency rule: .dependency-cruiser.cjs).
export { OutboxConsumer } from "./outbox-consumer";
export type { JobDefinition, JobInfo, SendOptions } from "./runner";
export { JobRunner, stableJobId } from "./runner";
