// The status page's public reads as other features use them (dependency rule: .dependency-cruiser.cjs).
export { publicIncidentHistory, statusSummary } from "./status.service";
