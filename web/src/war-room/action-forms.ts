// What each lifecycle action asks for, and which contract mutation it calls.
import { IMPACT_STATUSES, suggestedClosingMessage } from "../../../server/domain/public-story";
import {
  ContactMethod,
  HoldReason,
  Impact,
  ResolutionCode,
  ServiceStatus,
  Urgency,
} from "../../../server/domain/vocabulary";
import type { TypedDocument } from "../graphql";
import { mutate } from "../graphql-client";
import {
  CONTACT_METHOD_WORDS,
  HOLD_REASON_WORDS,
  humanize,
  PROBLEM_STATE_WORDS,
  RESOLUTION_WORDS,
} from "../shared/words";
import { type Catalog, categoryOptions } from "./catalog";
import type { IncidentCommand } from "./commands";
import type { Incident, TimelineEntry } from "./queries";
import * as Q from "./queries";
import { IMPACT_OPTIONS } from "./ServiceImpactPicker";

export type Values = Record<string, string | boolean | string[]>;

export interface FieldSpec {
  name: string;
  label: string;
  kind: "text" | "textarea" | "select" | "checkbox" | "datetime" | "multi";
  required?: boolean;
  options?: { value: string; label: string }[];
  help?: string;
}

/** What the person filling the form may do beyond the action itself. */
export interface Who {
  /** The `publish` permission: what the status page shows (visibility, a public incident's title). */
  canPublish: boolean;
}

export interface ActionSpec {
  /** One sentence under the title: what happens. */
  intro: string;
  fields: (incident: Incident, catalog: Catalog, values: Values, who: Who) => FieldSpec[];
  initial?: (incident: Incident) => Values;
  submitLabel?: string;
  /** Reload the pickers' catalog when the form opens (it offers what others may have just added). */
  refreshCatalog?: boolean;
  run: (incident: Incident, values: Values) => Promise<{ incident?: Incident; entry?: TimelineEntry }>;
}

const options = <T extends string>(words: Record<T, string>) =>
  (Object.keys(words) as T[]).map((value) => ({ value, label: words[value] }));
const LEVELS = [Impact.HIGH, Impact.MEDIUM, Impact.LOW].map((v) => ({ value: v, label: humanize(v) }));
const str = (v: Values[string] | undefined) => (typeof v === "string" ? v.trim() : "");

/** Calls a mutation that returns the incident, with the version the user was looking at. */
async function change<K extends string, V>(
  document: TypedDocument<{ [key in K]: Incident }, V>,
  field: K,
  incident: Incident,
  vars?: Omit<V, "id" | "expectedVersion">,
) {
  const data = await mutate(document, { id: incident.id, expectedVersion: incident.version, ...vars } as V);
  return { incident: data[field] };
}

const noFields = () => [];

/** The category picker, once an admin has built the tree (resolving then needs a category). */
function categoryField(catalog: Catalog, required: boolean): FieldSpec[] {
  const choices = categoryOptions(catalog);
  if (choices.length === 0) return [];
  return [
    {
      name: "categoryId",
      label: "Category",
      kind: "select",
      required,
      options: [{ value: "", label: required ? "Choose a category…" : "Not classified yet" }, ...choices],
    },
  ];
}

const REQUESTER_FIELDS: FieldSpec[] = [
  { name: "requesterName", label: "Requester", kind: "text", help: "Who reported it" },
  { name: "requesterEmail", label: "Requester email", kind: "text" },
  { name: "requesterPhone", label: "Requester phone", kind: "text" },
  { name: "requesterOrganization", label: "Requester organization", kind: "text" },
];

/** The requester as the API takes it; nothing when no name is given (the requester stays as it is). */
function requesterOf(v: Values) {
  const name = str(v.requesterName);
  if (!name) return null;
  return {
    name,
    email: str(v.requesterEmail) || null,
    phone: str(v.requesterPhone) || null,
    organization: str(v.requesterOrganization) || null,
  };
}
const IMPACT = "impact:";
/** What the picker shows first for a service: its current status when that is an outage. */
const impactNow = (incident: Incident, serviceId: string): string => {
  const status = incident.services.find((s) => s.id === serviceId)?.status;
  return status && (IMPACT_STATUSES as readonly string[]).includes(status)
    ? status
    : ServiceStatus.OPERATIONAL;
};

export const ACTION_FORMS: Partial<Record<IncidentCommand, ActionSpec>> = {
  update: {
    intro: "Edit the incident's details. Priority follows from impact and urgency.",
    initial: (i) => ({
      title: i.title,
      description: i.description,
      impact: i.impact,
      urgency: i.urgency,
      serviceIds: i.services.map((s) => s.id),
      public: i.public,
      categoryId: i.category?.id ?? "",
      requesterName: i.requester?.name ?? "",
      requesterEmail: i.requester?.email ?? "",
      requesterPhone: i.requester?.phone ?? "",
      requesterOrganization: i.requester?.organization ?? "",
      reason: "",
      publicTitle: i.publicTitle ?? "",
      ...Object.fromEntries(i.services.map((s) => [`${IMPACT}${s.id}`, impactNow(i, s.id)])),
    }),
    fields: (i, catalog, values, who) => {
      const selected = Array.isArray(values.serviceIds) ? values.serviceIds : [];
      const onPage: FieldSpec[] =
        values.public === true && who.canPublish
          ? [
              {
                name: "publicTitle",
                label: "Public title (what customers see)",
                kind: "text",
                help: "Leave empty to show the title.",
              },
              ...catalog.services
                .filter((s) => selected.includes(s.id))
                .map(
                  (s): FieldSpec => ({
                    name: `${IMPACT}${s.id}`,
                    label: `${s.name} on the status page`,
                    kind: "select",
                    options: IMPACT_OPTIONS,
                  }),
                ),
            ]
          : [];
      return [
        {
          name: "title",
          label: "Title",
          kind: "text",
          required: true,
          ...(i.public && !who.canPublish
            ? { help: "Shown on the status page: an incident manager changes it." }
            : {}),
        },
        { name: "description", label: "Description", kind: "textarea", required: true },
        { name: "impact", label: "Impact", kind: "select", options: LEVELS },
        { name: "urgency", label: "Urgency", kind: "select", options: LEVELS },
        {
          name: "reason",
          label: "Reason for lowering (optional)",
          kind: "text",
          help: "Lowering impact or urgency once work has started needs an incident manager and a reason.",
        },
        {
          name: "serviceIds",
          label: "Affected services",
          kind: "multi",
          options: catalog.services.map((s) => ({ value: s.id, label: s.name })),
        },
        ...categoryField(catalog, false),
        ...REQUESTER_FIELDS,
        // Publishing is an incident manager's call (one permission, whatever the path).
        ...(who.canPublish
          ? [{ name: "public", label: "Show on the public status page", kind: "checkbox" } as const]
          : []),
        ...onPage,
      ];
    },
    submitLabel: "Save changes",
    run: (incident, v) => {
      const isPublic = v.public === true;
      const selected = (v.serviceIds as string[] | undefined) ?? [];
      // Only what the responder changed in the picker: a service's status set by hand or by another
      // incident is not claimed by this one just because the dialog showed it.
      const serviceImpacts = selected
        .map((id) => ({ serviceId: id, status: str(v[`${IMPACT}${id}`]) || ServiceStatus.OPERATIONAL }))
        .filter((x) => x.status !== impactNow(incident, x.serviceId))
        .map((x) => ({ serviceId: x.serviceId, status: x.status as ServiceStatus }));
      return change(Q.UPDATE_INCIDENT, "updateIncident", incident, {
        input: {
          title: str(v.title),
          description: str(v.description),
          impact: v.impact as Impact,
          urgency: v.urgency as Urgency,
          serviceIds: v.serviceIds as string[] | undefined,
          public: isPublic,
          ...(isPublic ? { publicTitle: str(v.publicTitle), serviceImpacts } : {}),
          categoryId: str(v.categoryId) || null,
          requester: requesterOf(v),
          reason: str(v.reason) || null,
        },
      });
    },
  },
  assign: {
    intro: "Escalate to a queue. Optionally name the assignee; otherwise a queue member acknowledges it.",
    initial: (i) => ({ queueId: i.queue?.id ?? "", assigneeId: "" }),
    fields: (_i, catalog, values) => {
      const queue = catalog.queues.find((q) => q.id === values.queueId);
      return [
        {
          name: "queueId",
          label: "Queue",
          kind: "select",
          required: true,
          options: [
            { value: "", label: "Choose a queue…" },
            ...catalog.queues.map((q) => ({ value: q.id, label: q.name })),
          ],
        },
        {
          name: "assigneeId",
          label: "Assignee (optional)",
          kind: "select",
          options: [
            { value: "", label: "Nobody yet: the queue acknowledges" },
            ...(queue?.members ?? []).map((m) => ({ value: m.id, label: m.name })),
          ],
        },
      ];
    },
    run: (incident, v) =>
      change(Q.ASSIGN_INCIDENT, "assignIncident", incident, {
        queueId: str(v.queueId),
        assigneeId: str(v.assigneeId) || null,
      }),
  },
  acknowledge: {
    intro: "Take this incident from your queue; you become its assignee and it moves to In progress.",
    fields: noFields,
    run: (incident) => change(Q.ACKNOWLEDGE_INCIDENT, "acknowledgeIncident", incident),
  },
  startWork: {
    intro: "Work this incident yourself without escalating it; it moves to In progress.",
    fields: noFields,
    run: (incident) => change(Q.START_WORK, "startWork", incident),
  },
  returnToHelpDesk: {
    intro: "Send the incident back to the help desk (New). Say why.",
    fields: () => [{ name: "reason", label: "Reason", kind: "textarea", required: true }],
    run: (incident, v) =>
      change(Q.RETURN_TO_HELP_DESK, "returnToHelpDesk", incident, { reason: str(v.reason) }),
  },
  hold: {
    intro: "Pause work while waiting on someone else.",
    initial: () => ({ reason: HoldReason.AWAITING_CALLER, note: "" }),
    fields: () => [
      {
        name: "reason",
        label: "Hold reason",
        kind: "select",
        required: true,
        options: options(HOLD_REASON_WORDS),
      },
      {
        name: "note",
        label: "Note",
        kind: "textarea",
        required: true,
        help: "What are you waiting for, and from whom?",
      },
    ],
    run: (incident, v) =>
      change(Q.HOLD_INCIDENT, "holdIncident", incident, {
        reason: v.reason as HoldReason,
        note: str(v.note),
      }),
  },
  resume: {
    intro: "Continue work; the incident moves back to In progress.",
    fields: noFields,
    run: (incident) => change(Q.RESUME_INCIDENT, "resumeIncident", incident),
  },
  resolve: {
    intro: "Service is restored (by a permanent fix or a workaround). Record how.",
    initial: (i) => ({
      code: ResolutionCode.PERMANENT_FIX,
      notes: "",
      categoryId: i.category?.id ?? "",
      publicMessage: suggestedClosingMessage(i.services.map((s) => s.name)),
      restoreServices: true,
    }),
    fields: (incident, catalog) => [
      {
        name: "code",
        label: "Resolution code",
        kind: "select",
        required: true,
        options: options(RESOLUTION_WORDS),
      },
      { name: "notes", label: "Resolution notes (internal)", kind: "textarea", required: true },
      ...(incident.public
        ? ([
            {
              name: "publicMessage",
              label: "Closing message on the status page",
              kind: "textarea",
              required: true,
              help: "Customers read this: it is posted publicly as the Resolved update when you resolve.",
            },
            {
              name: "restoreServices",
              label: "Set the affected services back to Operational",
              kind: "checkbox",
            },
          ] satisfies FieldSpec[])
        : []),
      ...categoryField(catalog, true),
    ],
    run: (incident, v) =>
      change(Q.RESOLVE_INCIDENT, "resolveIncident", incident, {
        code: v.code as ResolutionCode,
        notes: str(v.notes),
        categoryId: str(v.categoryId) || null,
        ...(incident.public
          ? { publicMessage: str(v.publicMessage) || null, restoreServices: v.restoreServices !== false }
          : {}),
      }),
  },
  reopen: {
    intro: "The customer says it is not fixed: back to In progress. Say why.",
    fields: () => [{ name: "reason", label: "Reason", kind: "textarea", required: true }],
    run: (incident, v) =>
      change(Q.REOPEN_INCIDENT, "reopenResolvedIncident", incident, { reason: str(v.reason) }),
  },
  confirmResolution: {
    intro: "Record that the customer confirmed the resolution. The incident stays Resolved until closed.",
    fields: () => [{ name: "note", label: "Note (optional)", kind: "textarea" }],
    run: (incident, v) =>
      change(Q.CONFIRM_RESOLUTION, "confirmResolution", incident, { note: str(v.note) || null }),
  },
  close: {
    intro:
      "Close for good. Needs the customer's confirmation or three documented contact attempts; P1/P2 also need a completed review, P1 a linked problem.",
    fields: noFields,
    submitLabel: "Close incident",
    run: (incident) => change(Q.CLOSE_INCIDENT, "closeIncident", incident),
  },
  cancel: {
    intro: "Cancel an incident that needs no work. It can never be reopened.",
    fields: () => [{ name: "reason", label: "Reason", kind: "textarea", required: true }],
    submitLabel: "Cancel incident",
    run: (incident, v) => change(Q.CANCEL_INCIDENT, "cancelIncident", incident, { reason: str(v.reason) }),
  },
  logContactAttempt: {
    intro: "Document an attempt to reach the customer.",
    initial: () => ({ method: ContactMethod.PHONE, reached: false, at: "", note: "" }),
    fields: () => [
      {
        name: "method",
        label: "Contact method",
        kind: "select",
        required: true,
        options: options(CONTACT_METHOD_WORDS),
      },
      { name: "reached", label: "Reached the customer", kind: "checkbox" },
      { name: "at", label: "When (leave empty for now)", kind: "datetime" },
      { name: "note", label: "Note", kind: "textarea" },
    ],
    submitLabel: "Log attempt",
    run: async (incident, v) => {
      const at = str(v.at);
      const data = await mutate(Q.LOG_CONTACT_ATTEMPT, {
        incidentId: incident.id,
        method: v.method as ContactMethod,
        reached: v.reached === true,
        at: at ? new Date(at).toISOString() : null,
        note: str(v.note) || null,
      });
      return { entry: data.logContactAttempt };
    },
  },
  linkProblem: {
    intro:
      "Link the problem record that investigates the root cause: one of Beacon's problem records, or a reference in another system.",
    refreshCatalog: true,
    initial: (i) => ({ problemId: i.problem?.id ?? "", reference: i.problemReference ?? "" }),
    fields: (_i, catalog, values) => [
      {
        name: "problemId",
        label: "Problem record",
        kind: "select",
        options: [
          { value: "", label: "None: an external reference" },
          ...(catalog.problems ?? []).map((p) => ({
            value: p.id,
            label: `${p.number} ${p.title} (${PROBLEM_STATE_WORDS[p.state]})`,
          })),
        ],
        help: "Create problem records on the Problems page.",
      },
      ...(values.problemId
        ? []
        : [
            {
              name: "reference",
              label: "External reference",
              kind: "text",
              required: true,
              help: "e.g. JIRA-1234; a PRB number links Beacon's record",
            } as const,
          ]),
    ],
    submitLabel: "Link problem",
    run: async (incident, v) => {
      const problemId = str(v.problemId);
      if (problemId) {
        const data = await mutate(Q.LINK_INCIDENT_TO_PROBLEM, {
          id: incident.id,
          expectedVersion: incident.version,
          problemId,
        });
        return { incident: data.linkIncidentToProblem };
      }
      return change(Q.LINK_PROBLEM, "linkProblem", incident, { reference: str(v.reference) });
    },
  },
};

export function initialValues(spec: ActionSpec, incident: Incident): Values {
  return spec.initial?.(incident) ?? {};
}
