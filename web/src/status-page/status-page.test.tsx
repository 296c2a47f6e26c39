// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  PublicStatus,
  ServiceStatus,
  StatusEventKind,
  StatusIndicator,
} from "../../../server/domain/vocabulary";
import { PublicIncidentCard } from "./PublicIncidentCard";
import type { PublicIncident, PublicMaintenance, Service, StatusSummary } from "./queries";
import { ServiceList } from "./ServiceList";
import { StatusBanner } from "./StatusBanner";
import { applyStatusEvent, resolvedIncidents, withFreshUptime } from "./status-state";

afterEach(cleanup);

const service = (slug: string, status: ServiceStatus, group: string | null): Service => ({
  id: slug,
  slug,
  name: slug.toUpperCase(),
  description: null,
  group,
  status,
  updatedAt: "2025-01-01T00:00:00Z",
});

describe("StatusBanner", () => {
  it("says the indicator in words and shows the server's sentence", () => {
    render(<StatusBanner indicator={StatusIndicator.MAJOR} description="Partial System Outage" />);
    const banner = screen.getByTestId("status-banner");
    expect(banner.textContent).toContain("Partial System Outage");
    expect(banner.textContent).toContain("Major issues");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Partial System Outage");
  });
});

describe("ServiceList", () => {
  const services = [
    service("api", ServiceStatus.OPERATIONAL, "Core"),
    service("web", ServiceStatus.PARTIAL_OUTAGE, "Core"),
    service("email", ServiceStatus.UNDER_MAINTENANCE, "Notifications"),
    service("docs", ServiceStatus.DEGRADED_PERFORMANCE, null),
  ];

  it("groups services by group, ungrouped first", () => {
    render(<ServiceList services={services} />);
    const core = screen.getByRole("region", { name: "Core" });
    expect(within(core).getByTestId("service-api")).toBeTruthy();
    expect(within(core).getByTestId("service-web")).toBeTruthy();
    const notifications = screen.getByRole("region", { name: "Notifications" });
    expect(within(notifications).getByTestId("service-email")).toBeTruthy();
    const groups = document.querySelectorAll(".service-group");
    expect(groups[0]?.querySelector("[data-testid=service-docs]")).toBeTruthy();
  });

  it("never shows a status by colour alone: every row says it in words, with an icon", () => {
    render(<ServiceList services={services} />);
    expect(screen.getByTestId("service-api").textContent).toContain("Operational");
    expect(screen.getByTestId("service-web").textContent).toContain("Partial outage");
    expect(screen.getByTestId("service-email").textContent).toContain("Under maintenance");
    expect(screen.getByTestId("service-docs").textContent).toContain("Degraded performance");
    for (const slug of ["api", "web", "email", "docs"]) {
      expect(screen.getByTestId(`service-${slug}`).querySelector("svg.status-icon")).toBeTruthy();
    }
    // and the group heading summarises its worst status in words too
    expect(
      screen.getByRole("region", { name: "Core" }).querySelector(".service-group-head")?.textContent,
    ).toContain("Partial outage");
  });

  it("renders 90-day uptime bars with an accessible description per day", () => {
    const withUptime = {
      ...service("api", ServiceStatus.OPERATIONAL, null),
      uptime: [
        {
          date: "2024-12-31",
          hasData: false,
          uptimePercent: 100,
          worstStatus: ServiceStatus.OPERATIONAL,
          incidents: [],
          maintenances: [],
        },
        {
          date: "2025-01-01",
          hasData: true,
          uptimePercent: 100,
          worstStatus: ServiceStatus.UNDER_MAINTENANCE,
          incidents: [],
          maintenances: ["Database upgrade"],
        },
        {
          date: "2025-01-02",
          hasData: true,
          uptimePercent: 97.5,
          worstStatus: ServiceStatus.MAJOR_OUTAGE,
          incidents: ["DB down"],
          maintenances: [],
        },
      ],
    };
    render(<ServiceList services={[withUptime]} />);
    const bad = screen.getByTestId("uptime-2025-01-02");
    expect(bad.getAttribute("aria-label")).toMatch(/97\.5% uptime, major outage, 1 incident/);
    expect(screen.getByTestId("uptime-2024-12-31").getAttribute("aria-label")).toMatch(/no data/);
    expect(screen.getByTestId("uptime-2024-12-31").className).toContain("tone-nodata");
    // A maintenance day has its own mark and says so; other days do not.
    const maintained = screen.getByTestId("uptime-2025-01-01");
    expect(maintained.className).toContain("has-maintenance");
    expect(maintained.getAttribute("aria-label")).toMatch(
      /100% uptime, under maintenance, no incidents, scheduled maintenance: Database upgrade/,
    );
    expect(bad.className).not.toContain("has-maintenance");
  });
});

const incident: PublicIncident = {
  id: "pi1",
  title: "Login failures",
  status: PublicStatus.IDENTIFIED,
  impact: StatusIndicator.MAJOR,
  services: [{ id: "api", slug: "api", name: "API" }],
  updates: [
    {
      id: "u1",
      status: PublicStatus.INVESTIGATING,
      message: "Looking into it",
      at: "2025-01-01T10:00:00Z",
      nextUpdateBy: null,
    },
    {
      id: "u2",
      status: PublicStatus.IDENTIFIED,
      message: "Found the cause",
      at: "2025-01-01T11:00:00Z",
      nextUpdateBy: null,
    },
  ],
  startedAt: "2025-01-01T10:00:00Z",
  resolvedAt: null,
  postmortem: null,
  nextUpdateBy: null,
};

describe("PublicIncidentCard", () => {
  it("lists updates newest first with status words", () => {
    render(<PublicIncidentCard incident={incident} />);
    const card = screen.getByTestId("public-incident-pi1");
    const items = within(card).getAllByRole("listitem");
    expect(items[0]?.textContent).toContain("Found the cause");
    expect(items[1]?.textContent).toContain("Looking into it");
    expect(card.textContent).toContain("Major impact");
    expect(items[0]?.querySelector("time")?.getAttribute("datetime")).toBe("2025-01-01T11:00:00Z");
  });
});

describe("applyStatusEvent", () => {
  const summary: StatusSummary = {
    seq: "1",
    indicator: StatusIndicator.NONE,
    description: "All Systems Operational",
    services: [service("api", ServiceStatus.OPERATIONAL, null)],
    activeIncidents: [],
    recentlyResolved: [],
    maintenances: [],
    updatedAt: "2025-01-01T00:00:00Z",
  };

  it("applies a service status change and recomputes the banner with the server's rule", () => {
    const next = applyStatusEvent(summary, {
      seq: "2",
      kind: StatusEventKind.SERVICE_STATUS_CHANGED,
      at: "2025-01-01T01:00:00Z",
      service: service("api", ServiceStatus.MAJOR_OUTAGE, null),
      incident: null,
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(next.services[0]?.status).toBe(ServiceStatus.MAJOR_OUTAGE);
    expect(next.indicator).toBe(StatusIndicator.CRITICAL);
    expect(next.description).toBe("Major System Outage");
  });

  it("keeps the scheduled maintenance list live: added, moved to in progress, gone when completed", () => {
    const window: PublicMaintenance = {
      id: "m1",
      title: "Database upgrade",
      description: null,
      state: "SCHEDULED" as PublicMaintenance["state"],
      services: [{ id: "api", slug: "api", name: "API" }],
      scheduledStart: "2025-01-02T00:00:00Z",
      scheduledEnd: "2025-01-02T01:00:00Z",
      startedAt: null,
      completedAt: null,
      updates: [],
    };
    const event = (kind: StatusEventKind, maintenance: PublicMaintenance) => ({
      seq: "2",
      kind,
      at: "2025-01-01T01:00:00Z",
      service: null,
      incident: null,
      withdrawnIncidentId: null,
      maintenance,
    });
    const scheduled = applyStatusEvent(summary, event(StatusEventKind.MAINTENANCE_SCHEDULED, window));
    expect(scheduled.maintenances.map((m) => [m.id, m.state])).toEqual([["m1", "SCHEDULED"]]);
    const started = applyStatusEvent(
      scheduled,
      event(StatusEventKind.MAINTENANCE_STARTED, {
        ...window,
        state: "IN_PROGRESS" as PublicMaintenance["state"],
      }),
    );
    expect(started.maintenances.map((m) => [m.id, m.state])).toEqual([["m1", "IN_PROGRESS"]]);
    const completed = applyStatusEvent(
      started,
      event(StatusEventKind.MAINTENANCE_COMPLETED, {
        ...window,
        state: "COMPLETED" as PublicMaintenance["state"],
      }),
    );
    expect(completed.maintenances).toEqual([]);
  });

  it("adds a published incident and updates it in place", () => {
    const published = applyStatusEvent(summary, {
      seq: "2",
      kind: StatusEventKind.INCIDENT_PUBLISHED,
      at: "2025-01-01T01:00:00Z",
      service: null,
      incident,
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(published.activeIncidents.map((i) => i.id)).toEqual(["pi1"]);
    const resolved = applyStatusEvent(published, {
      seq: "3",
      kind: StatusEventKind.INCIDENT_RESOLVED,
      at: "2025-01-01T02:00:00Z",
      service: null,
      incident: { ...incident, status: PublicStatus.RESOLVED, resolvedAt: "2025-01-01T02:00:00Z" },
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(resolved.activeIncidents).toHaveLength(1);
    expect(resolved.activeIncidents[0]?.status).toBe(PublicStatus.RESOLVED);
    expect(resolved.indicator).toBe(StatusIndicator.NONE);
  });

  it("removes an incident that was withdrawn from the public page", () => {
    const published = applyStatusEvent(summary, {
      seq: "2",
      kind: StatusEventKind.INCIDENT_PUBLISHED,
      at: "2025-01-01T01:00:00Z",
      service: null,
      incident,
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(published.indicator).not.toBe(StatusIndicator.NONE);
    const withdrawn = applyStatusEvent(published, {
      seq: "3",
      kind: StatusEventKind.INCIDENT_UPDATED,
      at: "2025-01-01T02:00:00Z",
      service: null,
      incident: null,
      withdrawnIncidentId: "pi1",
      maintenance: null,
    });
    expect(withdrawn.activeIncidents).toEqual([]);
    expect(withdrawn.indicator).toBe(StatusIndicator.NONE);
  });
});

describe("recently resolved", () => {
  const resolvedEarlier = {
    ...incident,
    id: "old",
    status: PublicStatus.RESOLVED,
    resolvedAt: "2025-01-01T09:00:00Z",
  };
  const base: StatusSummary = {
    seq: "1",
    indicator: StatusIndicator.NONE,
    description: "All Systems Operational",
    services: [],
    activeIncidents: [],
    recentlyResolved: [resolvedEarlier],
    maintenances: [],
    updatedAt: "2025-01-01T00:00:00Z",
  };

  it("shows the snapshot's resolved incidents after a reload, and live ones once each", () => {
    expect(resolvedIncidents(base).map((i) => i.id)).toEqual(["old"]);
    const live = applyStatusEvent(base, {
      seq: "2",
      kind: StatusEventKind.INCIDENT_UPDATED,
      at: "2025-01-01T10:00:00Z",
      service: null,
      incident: { ...resolvedEarlier, title: "Wrap-up added" },
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(resolvedIncidents(live).map((i) => [i.id, i.title])).toEqual([["old", "Wrap-up added"]]);
  });

  it("a reopened or withdrawn incident leaves the resolved list", () => {
    const reopened = applyStatusEvent(base, {
      seq: "2",
      kind: StatusEventKind.INCIDENT_UPDATED,
      at: "2025-01-01T10:00:00Z",
      service: null,
      incident: { ...resolvedEarlier, status: PublicStatus.INVESTIGATING, resolvedAt: null },
      withdrawnIncidentId: null,
      maintenance: null,
    });
    expect(resolvedIncidents(reopened)).toEqual([]);
    expect(reopened.activeIncidents.map((i) => i.id)).toEqual(["old"]);
    const withdrawn = applyStatusEvent(base, {
      seq: "2",
      kind: StatusEventKind.INCIDENT_UPDATED,
      at: "2025-01-01T10:00:00Z",
      service: null,
      incident: null,
      withdrawnIncidentId: "old",
      maintenance: null,
    });
    expect(resolvedIncidents(withdrawn)).toEqual([]);
  });

  it("the card shows when the next update is due, not once resolved", () => {
    render(<PublicIncidentCard incident={{ ...incident, nextUpdateBy: "2025-01-01T12:00:00Z" }} />);
    expect(screen.getByTestId("next-update-by").textContent).toMatch(/^Next update by/);
    cleanup();
    render(
      <PublicIncidentCard
        incident={{ ...incident, nextUpdateBy: "2025-01-01T12:00:00Z", resolvedAt: "2025-01-01T11:30:00Z" }}
      />,
    );
    expect(screen.queryByTestId("next-update-by")).toBeNull();
  });
});

describe("withFreshUptime", () => {
  const day = (worstStatus: ServiceStatus, uptimePercent = 100) => ({
    date: "2025-01-02",
    hasData: true,
    uptimePercent,
    worstStatus,
    incidents: [],
    maintenances: [],
  });
  it("takes the server's bars, but today's never shows better than the live status", () => {
    const live = {
      ...service("api", ServiceStatus.MAJOR_OUTAGE, null),
      uptime: [day(ServiceStatus.MAJOR_OUTAGE)],
    };
    const stale = withFreshUptime(live, [day(ServiceStatus.OPERATIONAL)], "2025-01-02T10:00:00Z");
    expect(stale.uptime?.[0]?.worstStatus).toBe(ServiceStatus.MAJOR_OUTAGE);
    const fresh = withFreshUptime(live, [day(ServiceStatus.MAJOR_OUTAGE, 62.5)], "2025-01-02T10:00:00Z");
    expect(fresh.uptime?.[0]?.uptimePercent).toBe(62.5);
  });
});
