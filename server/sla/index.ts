// Service levels as other features use them (dependency rule: .dependency-cruiser.cjs): the clocks
// the incident engine keeps in step, their state, the policies and the job names.
export * from "./clocks";
export * from "./policy.service";
