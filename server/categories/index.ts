// The classification tree as other features use it (dependency rule: .dependency-cruiser.cjs).
export * from "./category.service";
