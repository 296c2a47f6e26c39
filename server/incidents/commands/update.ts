import { categoryPath, requireCategory } from "../../categories";
import { authorize } from "../../domain/permissions";
import { decideSeverityChange } from "../../domain/severity";
import { type Impact, PublicStatus, TimelineKind, type Urgency } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { orThrow } from "../../kernel/errors";
import { diff, runForIncident, snapshot } from "../command-engine";
import { accessOf, incidentNumber, requireServices } from "../incident.queries";
import { MAX_TITLE, optionalText, text } from "./input";
import { type RequesterInput, requesterOf } from "./requester";

export interface UpdateIncidentInput {
  title?: string | null;
  description?: string | null;
  impact?: Impact | null;
  urgency?: Urgency | null;
  serviceIds?: string[] | null;
  public?: boolean | null;
  categoryId?: string | null;
  requester?: RequesterInput | null;
  /** Why: required when lowering impact or urgency after work started. */
  reason?: string | null;
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
  const requester = input.requester ? requesterOf(input.requester) : null;
  const reason = optionalText("reason", input.reason);
  return runForIncident(beacon, principal, id, {
    command: "update",
    expectedVersion,
    apply: async ({ m, incident, serviceIds, actor }) => {
      const nextServices = input.serviceIds == null ? serviceIds : await requireServices(m, input.serviceIds);
      const category = input.categoryId ? await requireCategory(m, input.categoryId) : null;
      const before = snapshot(incident, serviceIds);
      // Priority is derived; the peak only rises; lowering after work started needs a manager and
      // a reason (domain/severity).
      const severity = orThrow(
        decideSeverityChange(
          incident,
          { impact: input.impact, urgency: input.urgency },
          actor !== null && authorize(actor, "lowerSeverity", accessOf(incident)).ok,
          reason,
          incidentNumber(incident.seqNumber),
        ),
        { field: "reason" },
      );
      if (title !== null) incident.title = title;
      if (description !== null) incident.description = description;
      incident.impact = severity.impact;
      incident.urgency = severity.urgency;
      incident.priority = severity.priority;
      incident.peakPriority = severity.peakPriority;
      incident.major = severity.major;
      if (category) incident.categoryId = category.id;
      if (requester) incident.requester = requester;
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
        } else if (field === "categoryId" && category) {
          words.push(`category "${await categoryPath(m, category)}"`);
        } else if (field !== "publicStatus" && field !== "major" && field !== "peakPriority") {
          words.push(field);
        }
      }
      return {
        description: `Updated ${words.join(", ")}${severity.lowered && reason ? `: ${reason}` : ""}`,
        timeline: {
          kind: TimelineKind.FIELD_CHANGE,
          body: reason,
          data: { changes, ...(severity.lowered ? { lowered: true } : {}) },
        },
        serviceIds: nextServices,
      };
    },
  });
}
