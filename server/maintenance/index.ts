// Scheduled maintenance as other features use it: the public views of windows and the job
// definitions (dependency rule: .dependency-cruiser.cjs).

export { maintenanceCalendar, maintenanceCalendarRouter } from "./calendar.router";
export {
  activeMaintenances,
  listMaintenances,
  type MaintenanceUpdateView,
  type MaintenanceView,
  maintenanceViews,
} from "./maintenance.queries";
export { defineMaintenanceJobs, sweepDueMaintenances } from "./maintenance.timers";
