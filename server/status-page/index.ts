// The status page's public reads as other features use them (dependency rule: .dependency-cruiser.cjs);
// the public snapshot (server/public-snapshot/) builds its bodies from the same sources as the live routes.
export { createFirstPaint, type FirstPaint } from "./first-paint";
export {
  presetStatusSummary,
  publicIncidentHistory,
  type StatusSummaryView,
  statusSummary,
} from "./status.service";
export { statusJsonRouter, statuspageDocuments } from "./status-json.router";
