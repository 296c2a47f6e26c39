import type { ReactNode } from "react";
import { LiveIndicator } from "../shared/LiveIndicator";
import { Link, usePath } from "../shared/router";
import { GetUpdatesButton } from "./GetUpdates";

export function PublicLayout({ children }: { children: ReactNode }) {
  const path = usePath();
  return (
    <div className="public-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="public-header">
        <div className="container public-header-inner">
          <Link to="/" className="brand" aria-label="Beacon status, home">
            <span className="brand-mark" aria-hidden="true" />
            Beacon <span className="brand-sub">Status</span>
          </Link>
          <nav aria-label="Status pages" className="public-nav">
            <Link to="/" aria-current={path === "/" ? "page" : undefined}>
              Current status
            </Link>
            <Link to="/history" aria-current={path.startsWith("/history") ? "page" : undefined}>
              History
            </Link>
          </nav>
          <div className="public-header-actions">
            <GetUpdatesButton />
            <LiveIndicator />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container public-main">
        {children}
      </main>
      <footer className="public-footer">
        <div className="container">
          <span>Powered by Beacon</span>
          <span aria-hidden="true"> · </span>
          <span>
            API: <code>/graphql</code>
          </span>
          <span aria-hidden="true"> · </span>
          <a href="/history.atom">Atom feed</a>
          <span aria-hidden="true"> · </span>
          <a href="/history.rss">RSS feed</a>
          <span aria-hidden="true"> · </span>
          <a href="/maintenance.ics">Maintenance calendar (iCal)</a>
          <span aria-hidden="true"> · </span>
          <Link to="/war-room">Responder sign-in</Link>
        </div>
      </footer>
    </div>
  );
}
