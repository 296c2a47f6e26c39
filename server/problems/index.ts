// Problem records as other features use it (dependency rule: .dependency-cruiser.cjs).
export * from "./problem.service";
