import { describe, expect, it } from "vitest";
import {
  overallStatus,
  publicStatusLabel,
  serviceStatusLabel,
  worstServiceStatus,
} from "../../../server/domain/status";
import { PublicStatus, ServiceStatus, StatusIndicator } from "../../../server/domain/vocabulary";
import { itemAt } from "../../support/item-at";

const S = ServiceStatus;
const I = StatusIndicator;
const svc = (...statuses: ServiceStatus[]) => statuses.map((status) => ({ status }));
const inc = (...impacts: StatusIndicator[]) => impacts.map((impact) => ({ impact }));

describe("overallStatus", () => {
  it.each([
    ["nothing at all", svc(), inc(), I.NONE, "All Systems Operational"],
    ["all operational", svc(S.OPERATIONAL, S.OPERATIONAL), inc(), I.NONE, "All Systems Operational"],
    ["an incident with no public impact", svc(S.OPERATIONAL), inc(I.NONE), I.NONE, "All Systems Operational"],
    [
      "one degraded service",
      svc(S.OPERATIONAL, S.DEGRADED_PERFORMANCE),
      inc(),
      I.MINOR,
      "Degraded Performance",
    ],
    ["a minor incident", svc(S.OPERATIONAL), inc(I.MINOR), I.MINOR, "Minor Service Outage"],
    [
      "minor incident and degradation",
      svc(S.DEGRADED_PERFORMANCE),
      inc(I.MINOR),
      I.MINOR,
      "Minor Service Outage",
    ],
    ["a partial outage", svc(S.OPERATIONAL, S.PARTIAL_OUTAGE), inc(), I.MAJOR, "Partial System Outage"],
    ["a major incident", svc(S.OPERATIONAL), inc(I.MAJOR), I.MAJOR, "Partial System Outage"],
    [
      "partial outage beats degradation",
      svc(S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE),
      inc(I.MINOR),
      I.MAJOR,
      "Partial System Outage",
    ],
    ["a major outage", svc(S.OPERATIONAL, S.MAJOR_OUTAGE), inc(), I.CRITICAL, "Major System Outage"],
    ["a critical incident", svc(S.OPERATIONAL), inc(I.CRITICAL), I.CRITICAL, "Major System Outage"],
    [
      "major outage beats everything",
      svc(S.PARTIAL_OUTAGE, S.MAJOR_OUTAGE, S.UNDER_MAINTENANCE),
      inc(I.MAJOR),
      I.CRITICAL,
      "Major System Outage",
    ],
    [
      "critical incident beats a partial outage",
      svc(S.PARTIAL_OUTAGE),
      inc(I.MINOR, I.CRITICAL),
      I.CRITICAL,
      "Major System Outage",
    ],
    ["maintenance only", svc(S.UNDER_MAINTENANCE), inc(), I.MAINTENANCE, "Service Under Maintenance"],
    [
      "maintenance beside operational",
      svc(S.OPERATIONAL, S.UNDER_MAINTENANCE),
      inc(),
      I.MAINTENANCE,
      "Service Under Maintenance",
    ],
    [
      "a maintenance incident",
      svc(S.OPERATIONAL),
      inc(I.MAINTENANCE),
      I.MAINTENANCE,
      "Service Under Maintenance",
    ],
    [
      "degradation beats maintenance",
      svc(S.UNDER_MAINTENANCE, S.DEGRADED_PERFORMANCE),
      inc(),
      I.MINOR,
      "Degraded Performance",
    ],
    [
      "an outage beats maintenance",
      svc(S.UNDER_MAINTENANCE, S.PARTIAL_OUTAGE),
      inc(),
      I.MAJOR,
      "Partial System Outage",
    ],
    [
      "a minor incident beats maintenance",
      svc(S.UNDER_MAINTENANCE),
      inc(I.MINOR),
      I.MINOR,
      "Minor Service Outage",
    ],
  ])("%s", (_name, services, incidents, indicator, description) => {
    expect(overallStatus(services, incidents)).toEqual({ indicator, description });
  });
});

describe("labels", () => {
  it.each([
    [S.OPERATIONAL, "Operational"],
    [S.DEGRADED_PERFORMANCE, "Degraded Performance"],
    [S.PARTIAL_OUTAGE, "Partial Outage"],
    [S.MAJOR_OUTAGE, "Major Outage"],
    [S.UNDER_MAINTENANCE, "Under Maintenance"],
  ])("service %s -> %s", (status, label) => {
    expect(serviceStatusLabel(status)).toBe(label);
  });

  it.each([
    [PublicStatus.INVESTIGATING, "Investigating"],
    [PublicStatus.IDENTIFIED, "Identified"],
    [PublicStatus.MONITORING, "Monitoring"],
    [PublicStatus.RESOLVED, "Resolved"],
  ])("public %s -> %s", (status, label) => {
    expect(publicStatusLabel(status)).toBe(label);
  });
});

describe("worstServiceStatus (a Statuspage group's status)", () => {
  const S = ServiceStatus;
  it("is operational for no members or all operational", () => {
    expect(worstServiceStatus([])).toBe(S.OPERATIONAL);
    expect(worstServiceStatus([S.OPERATIONAL, S.OPERATIONAL])).toBe(S.OPERATIONAL);
  });
  it("takes the most severe member, any order; maintenance ranks below every failure", () => {
    const order = [
      S.OPERATIONAL,
      S.UNDER_MAINTENANCE,
      S.DEGRADED_PERFORMANCE,
      S.PARTIAL_OUTAGE,
      S.MAJOR_OUTAGE,
    ];
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        expect(worstServiceStatus([itemAt(order, i), itemAt(order, j)])).toBe(order[Math.max(i, j)]);
        expect(worstServiceStatus([itemAt(order, j), S.OPERATIONAL, itemAt(order, i)])).toBe(
          order[Math.max(i, j)],
        );
      }
    }
  });
});
