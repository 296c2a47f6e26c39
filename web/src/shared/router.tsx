// A tiny client-side router: the History API, a <Link>, and route matching. Enough for a handful of routes.
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

const NAVIGATE_EVENT = "beacon:navigate";

function subscribe(listener: () => void) {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

const currentPath = () => window.location.pathname + window.location.search;

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => "/");
}

export function navigate(to: string, { replace = false } = {}) {
  if (to === currentPath()) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo?.(0, 0);
}

export type Route =
  | { name: "status" }
  | { name: "history" }
  | { name: "publicIncident"; id: string }
  | { name: "warRoom" }
  | { name: "room"; id: string }
  | { name: "warServices" }
  | { name: "warAdmin" }
  | { name: "warProblems" }
  | { name: "warMaintenance" }
  | { name: "warReports" }
  | { name: "problem"; id: string }
  | { name: "notFound" };

export function matchRoute(path: string): Route {
  const pathname = (path.split("?")[0] ?? "").replace(/\/+$/, "") || "/";
  if (pathname === "/") return { name: "status" };
  if (pathname === "/history") return { name: "history" };
  if (pathname === "/war-room") return { name: "warRoom" };
  if (pathname === "/war-room/services") return { name: "warServices" };
  if (pathname === "/war-room/admin") return { name: "warAdmin" };
  if (pathname === "/war-room/problems") return { name: "warProblems" };
  if (pathname === "/war-room/maintenance") return { name: "warMaintenance" };
  if (pathname === "/war-room/reports") return { name: "warReports" };
  let m = /^\/incidents\/([^/]+)$/.exec(pathname);
  if (m?.[1]) return { name: "publicIncident", id: decodeURIComponent(m[1]) };
  m = /^\/war-room\/incidents\/([^/]+)$/.exec(pathname);
  if (m?.[1]) return { name: "room", id: decodeURIComponent(m[1]) };
  m = /^\/war-room\/problems\/([^/]+)$/.exec(pathname);
  if (m?.[1]) return { name: "problem", id: decodeURIComponent(m[1]) };
  return { name: "notFound" };
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      rest.target
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
