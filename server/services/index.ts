// The services feature as other features use it (dependency rule: .dependency-cruiser.cjs).
export * from "./public-service";
export * from "./service.service";
