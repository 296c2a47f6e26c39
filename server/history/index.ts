// Change history as features use it: one version check, one way to record (.dependency-cruiser.cjs).
export * from "./history.service";
export * from "./record";
