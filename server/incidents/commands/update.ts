import { categoryPath, requireCategory } from "../../categories";
import { authorize } from "../../domain/permissions";
import { decideServiceImpacts, type ServiceImpact } from "../../domain/public-story";
import { decideSeverityChange } from "../../domain/severity";
import { type Impact, PublicStatus, TimelineKind, type Urgency } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { orThrow } from "../../kernel/errors";
import { diff, runForIncident, snapshot } from "../command-engine";
import { accessOf, incidentNumber, requireServices } from "../incident.queries";
import { MAX_TITLE, optionalText, optionalTitle, text } from "./input";
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
  /** Merged into the incident's service impacts; OPERATIONAL: that service has recovered. */
  serviceImpacts?: ServiceImpact[] | null;
  /** What customers see; blank: back to the title. */
  publicTitle?: string | null;
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
  const publicTitle = input.publicTitle == null ? undefined : optionalTitle("publicTitle", input.publicTitle);
  return runForIncident(beacon, principal, id, {
    command: "update",
    expectedVersion,
    apply: async ({ m, incident, serviceIds, actor }) => {
      const ref = incidentNumber(incident.seqNumber);
      const named = (input.serviceImpacts ?? []).map((i) => i.serviceId);
      const nextServices = await requireServices(m, [...(input.serviceIds ?? serviceIds), ...named]);
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
      // What the status page says is published by one permission (domain/permissions.ts): showing or
      // withdrawing the incident, and while it is public its titles and the services it moves.
      const onPage = incident.isPublic || input.public === true;
      const publishedField =
        input.public != null && input.public !== incident.isPublic
          ? "public"
          : onPage && title !== null && title !== incident.title
            ? "title"
            : onPage && publicTitle !== undefined && publicTitle !== incident.publicTitle
              ? "publicTitle"
              : onPage && input.serviceImpacts != null
                ? "serviceImpacts"
                : null;
      // (The system, acting for a job, has no actor: nothing it does is decided by a person.)
      if (publishedField && actor !== null) {
        orThrow(authorize(actor, "publish"), { field: publishedField });
      }
      if (title !== null) incident.title = title;
      if (description !== null) incident.description = description;
      incident.impact = severity.impact;
      incident.urgency = severity.urgency;
      incident.priority = severity.priority;
      incident.peakPriority = severity.peakPriority;
      incident.major = severity.major;
      if (publicTitle !== undefined) incident.publicTitle = publicTitle;
      if (category) incident.categoryId = category.id;
      if (requester) incident.requester = requester;
      if (input.public != null && input.public !== incident.isPublic) {
        incident.isPublic = input.public;
        if (input.public && incident.publicStatus === null) {
          incident.publicStatus = incident.resolvedAt ? PublicStatus.RESOLVED : PublicStatus.INVESTIGATING;
        }
      }
      // Checked against the incident as this command leaves it: publishing and impacts go together.
      incident.serviceImpacts = orThrow(
        decideServiceImpacts(
          incident.serviceImpacts,
          input.serviceImpacts,
          incident.isPublic,
          ref,
          incident.state,
        ),
        { field: "serviceImpacts" },
      ).impacts;
      // A service the incident affects stays linked to it.
      for (const id of Object.keys(incident.serviceImpacts))
        if (!nextServices.includes(id)) nextServices.push(id);
      nextServices.sort();
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
        } else if (field === "serviceImpacts") {
          words.push("service impacts");
        } else if (field === "publicTitle") {
          words.push("public title");
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
        reassertServices: named,
      };
    },
  });
}
