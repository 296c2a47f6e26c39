import { lazy, Suspense, useState } from "react";
import { LiveIndicator } from "../shared/LiveIndicator";
import { Link, usePath } from "../shared/router";
import { humanize } from "../shared/words";
import { AdminPage, mayAdminister } from "./AdminPage";
import { AttentionBanner } from "./AttentionBanner";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { resetCatalog, useCatalog } from "./catalog";
import { actorFor, mayDo } from "./commands";
import { IncidentList } from "./IncidentList";
import { LoginForm } from "./LoginForm";
import { MaintenancePage } from "./MaintenancePage";
import { NotificationBell } from "./notifications/NotificationBell";
import { ProblemPage } from "./problems/ProblemPage";
import { ProblemsPage } from "./problems/ProblemsPage";
import { RoomPage } from "./RoomPage";
import { ServicesPage } from "./ServicesPage";
import { useSession } from "./session";

// The charts library is big: the Reports page (and recharts) load only when it is opened.
const ReportsPage = lazy(() => import("./reports/ReportsPage").then((m) => ({ default: m.ReportsPage })));

/**
 * The signed-in war room: incident list at /war-room, one room at /war-room/incidents/:id, problem
 * records at /war-room/problems(/:id), the service catalog at /war-room/services, people, queues,
 * categories and API keys at /war-room/admin, metrics and charts at /war-room/reports.
 */
export function WarRoom({
  roomId,
  problemId,
  page,
}: {
  roomId?: string;
  problemId?: string;
  page?: "services" | "admin" | "problems" | "maintenance" | "reports";
}) {
  const { user, checking, signOut, refreshUser } = useSession();
  const [changingPassword, setChangingPassword] = useState(false);
  const catalog = useCatalog(user?.id ?? "");
  const path = usePath().split("?")[0] ?? "";

  if (checking)
    return (
      <div className="container">
        <div className="card skeleton" style={{ height: 200, marginTop: 48 }} />
      </div>
    );
  if (!user) return <LoginForm />;

  const actor = actorFor(user, catalog.queues);

  return (
    <div className="war-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="war-header">
        <div className="container-wide war-header-inner">
          <Link to="/war-room" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Beacon <span className="brand-sub">War room</span>
          </Link>
          <nav aria-label="War room" className="public-nav">
            <Link
              to="/war-room"
              aria-current={
                path === "/war-room" || path.startsWith("/war-room/incidents") ? "page" : undefined
              }
            >
              Incidents
            </Link>
            <Link to="/war-room/problems" aria-current={page === "problems" ? "page" : undefined}>
              Problems
            </Link>
            <Link to="/war-room/services" aria-current={page === "services" ? "page" : undefined}>
              Services
            </Link>
            <Link to="/war-room/maintenance" aria-current={page === "maintenance" ? "page" : undefined}>
              Maintenance
            </Link>
            {mayDo(actor, "viewMetrics") && (
              <Link to="/war-room/reports" aria-current={page === "reports" ? "page" : undefined}>
                Reports
              </Link>
            )}
            {mayAdminister(actor) && (
              <Link to="/war-room/admin" aria-current={page === "admin" ? "page" : undefined}>
                Admin
              </Link>
            )}
            <Link to="/">Status page</Link>
          </nav>
          <LiveIndicator />
          <div className="user-menu">
            <NotificationBell userId={user.id} />
            <span className="user-name" data-testid="current-user">
              {user.name} <span className="muted small">{humanize(user.role)}</span>
            </span>
            <button type="button" className="button button-small" onClick={() => setChangingPassword(true)}>
              Change password
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                resetCatalog();
                void signOut();
              }}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <AttentionBanner actor={actor} />
      <main id="main" tabIndex={-1} className="container-wide war-main">
        {page === "problems" ? (
          problemId ? (
            <ProblemPage key={problemId} id={problemId} actor={actor} catalog={catalog} />
          ) : (
            <ProblemsPage actor={actor} />
          )
        ) : page === "services" ? (
          <ServicesPage actor={actor} catalog={catalog} />
        ) : page === "maintenance" ? (
          <MaintenancePage actor={actor} catalog={catalog} />
        ) : page === "reports" ? (
          <Suspense fallback={<div className="card skeleton" style={{ height: 240 }} aria-busy="true" />}>
            <ReportsPage />
          </Suspense>
        ) : page === "admin" ? (
          <AdminPage actor={actor} self={user} onSelfChanged={refreshUser} />
        ) : roomId ? (
          <RoomPage key={roomId} id={roomId} actor={actor} catalog={catalog} />
        ) : (
          <IncidentList actor={actor} catalog={catalog} />
        )}
      </main>
      {changingPassword && <ChangePasswordForm onClose={() => setChangingPassword(false)} />}
    </div>
  );
}
