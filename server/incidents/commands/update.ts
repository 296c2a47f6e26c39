import { priorityOf } from "../../domain/priority";
import { type Impact, PublicStatus, TimelineKind, type Urgency } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { diff, runForIncident, snapshot } from "../command-engine";
import { requireServices } from "../incident.queries";
import { MAX_TITLE, text } from "./input";

export interface UpdateIncidentInput {
  title?: string | null;
  description?: string | null;
  impact?: Impact | null;
  urgency?: Urgency | null;
  serviceIds?: string[] | null;
  public?: boolean | null;
}

export function updateIncident(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  input: UpdateIncidentInput,
) {
  const title = input.title == null ? null : text("title", input.title, MAX_TITLE);
  const description = input.description == null ? null : text("description", input.description);
  return runForIncident(beacon, principal, id, {
    command: "update",
    expectedVersion,
    apply: async ({ m, incident, serviceIds }) => {
      const nextServices = input.serviceIds == null ? serviceIds : await requireServices(m, input.serviceIds);
      const before = snapshot(incident, serviceIds);
      if (title !== null) incident.title = title;
      if (description !== null) incident.description = description;
      if (input.impact != null) incident.impact = input.impact;
      if (input.urgency != null) incident.urgency = input.urgency;
      incident.priority = priorityOf(incident.impact, incident.urgency);
      if (input.public != null && input.public !== incident.isPublic) {
        incident.isPublic = input.public;
        if (input.public && incident.publicStatus === null) {
          incident.publicStatus = incident.resolvedAt ? PublicStatus.RESOLVED : PublicStatus.INVESTIGATING;
        }
      }
      const changes = diff(before, snapshot(incident, nextServices));
      if (Object.keys(changes).length === 0) return null;
      const words: string[] = [];
      for (const field of Object.keys(changes)) {
        if (field === "priority") {
          words.push(`priority ${changes.priority!.from} -> ${changes.priority!.to}`);
        } else if (field === "public") {
          words.push(incident.isPublic ? "published on the status page" : "withdrawn from the status page");
        } else if (field === "serviceIds") {
          words.push("services");
        } else if (field !== "publicStatus") {
          words.push(field);
        }
      }
      return {
        description: `Updated ${words.join(", ")}`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { changes } },
        serviceIds: nextServices,
      };
    },
  });
}
