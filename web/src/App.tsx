import { Link, matchRoute, usePath } from "./shared/router";
import { HistoryPage } from "./status-page/HistoryPage";
import { IncidentPage } from "./status-page/IncidentPage";
import { PublicLayout } from "./status-page/PublicLayout";
import { StatusPage } from "./status-page/StatusPage";
import { SessionProvider } from "./war-room/session";
import { WarRoom } from "./war-room/WarRoom";

const WAR_ROOM_PAGES = {
  warServices: "services",
  warAdmin: "admin",
  warProblems: "problems",
  warMaintenance: "maintenance",
  warReports: "reports",
} as const;

export function App() {
  const route = matchRoute(usePath());
  switch (route.name) {
    case "status":
      return (
        <PublicLayout>
          <StatusPage />
        </PublicLayout>
      );
    case "history":
      return (
        <PublicLayout>
          <HistoryPage />
        </PublicLayout>
      );
    case "publicIncident":
      return (
        <PublicLayout>
          <IncidentPage key={route.id} id={route.id} />
        </PublicLayout>
      );
    case "warRoom":
    case "room":
      return (
        <SessionProvider>
          <WarRoom roomId={route.name === "room" ? route.id : undefined} />
        </SessionProvider>
      );
    case "warServices":
    case "warAdmin":
    case "warProblems":
    case "warMaintenance":
    case "warReports":
      return (
        <SessionProvider>
          <WarRoom page={WAR_ROOM_PAGES[route.name]} />
        </SessionProvider>
      );
    case "problem":
      return (
        <SessionProvider>
          <WarRoom page="problems" problemId={route.id} />
        </SessionProvider>
      );
    default:
      return (
        <PublicLayout>
          <div className="card empty">
            <h1 className="page-title">Page not found</h1>
            <p>
              Go to the <Link to="/">current status</Link>.
            </p>
          </div>
        </PublicLayout>
      );
  }
}
