// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IncidentOrder, IncidentState, PublicStatus, Role } from "../../../server/domain/vocabulary";
import { PublicUpdateItem } from "../shared/PublicUpdateItem";
import { ActionBar } from "./ActionBar";
import { ACTION_FORMS } from "./action-forms";
import { ClosureChecklist, closeBlockedBy } from "./ClosureChecklist";
import { describeChanges, fieldLabel } from "./change-words";
import { availableCommands, COMPOSER_COMMANDS, TRANSITIONS } from "./commands";
import {
  applyIncidentEvent,
  compareIncidents,
  DEFAULT_FILTER,
  keyOf,
  matchesFilter,
  toIncidentFilter,
} from "./incidents-state";
import { PublicUpdateComposer } from "./PublicUpdateComposer";
import type { Incident, TimelineEntry } from "./queries";
import { applyRoomEvent, withActionItem } from "./room-state";
import { SETTLED_SLA } from "./sla-state";
import { Timeline } from "./Timeline";

afterEach(cleanup);

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: "i1",
  number: "INC-000001",
  title: "Checkout down",
  description: "Customers cannot pay",
  impact: "HIGH" as Incident["impact"],
  urgency: "HIGH" as Incident["urgency"],
  priority: "P1" as Incident["priority"],
  major: true,
  state: IncidentState.NEW,
  version: 1,
  public: true,
  publicStatus: PublicStatus.INVESTIGATING,
  publicTitle: null,
  closureRequirements: [],
  services: [],
  owner: { id: "u-agent", name: "Ann Agent" },
  queue: null,
  assignee: null,
  holdReason: null,
  resolutionCode: null,
  resolutionNotes: null,
  relatedTo: null,
  roomRoles: [],
  peakPriority: "P1" as Incident["priority"],
  problemReference: null,
  followUps: [],
  category: null,
  requester: null,
  requesterConfirmationUrl: null,
  problem: null,
  knownErrors: [],
  reviewDraft: null,
  review: null,
  actionItems: [],
  createdAt: "2025-01-01T00:00:00Z",
  updatedAt: "2025-01-01T00:00:00Z",
  resolvedAt: null,
  closedAt: null,
  sla: SETTLED_SLA,
  ...over,
});

const buttonNames = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("ActionBar follows the lifecycle", () => {
  /** Every action the bar offers, including those behind "More" while it is closed. */
  const offered = () =>
    Array.from(
      document.querySelectorAll<HTMLElement>('[data-testid="actions"] [data-testid^="action-"]'),
    ).map((b) => b.dataset.testid?.slice("action-".length));

  it("a NEW incident: Assign and Start work first, the rest in More, Cancel apart; no Resolve", () => {
    render(<ActionBar incident={incident()} onAction={() => {}} />);
    const names = buttonNames();
    expect(names.slice(0, 2)).toEqual([TRANSITIONS.assign.label, TRANSITIONS.startWork.label]);
    expect(names).toContain(`${TRANSITIONS.cancel.label}…`);
    expect(offered()).not.toContain("resolve");
    // Edit is there, but in the menu, not as a button of its own.
    expect(names).not.toContain(TRANSITIONS.update.label);
    expect(screen.getByTestId("action-update").getAttribute("role")).toBe("menuitem");
  });

  it("offers exactly the available commands (except the composers) for every state", () => {
    for (const state of Object.values(IncidentState)) {
      cleanup();
      render(<ActionBar incident={incident({ state })} onAction={() => {}} />);
      const expected = availableCommands(state).filter(
        (c) => !COMPOSER_COMMANDS.has(c) || (c === "postPublicUpdate" && state === IncidentState.IN_PROGRESS),
      );
      expect([...offered()].sort()).toEqual([...expected].sort());
    }
  });

  it("the More menu opens on its first item, moves with the arrows and closes on Escape", async () => {
    const onAction = vi.fn();
    render(<ActionBar incident={incident()} onAction={onAction} />);
    const more = screen.getByTestId("actions-more");
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryAllByRole("menuitem")).toHaveLength(0);
    fireEvent.click(more);
    expect(more.getAttribute("aria-expanded")).toBe("true");
    const items = screen.getAllByRole("menuitem");
    await vi.waitFor(() => expect(document.activeElement).toBe(items[0]));
    fireEvent.keyDown(items[0] as HTMLElement, { key: "ArrowDown" });
    expect(document.activeElement).toBe(items[1]);
    fireEvent.keyDown(items[1] as HTMLElement, { key: "End" });
    expect(document.activeElement).toBe(items.at(-1));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: "Escape" });
    expect(more.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(more);
    fireEvent.click(more);
    fireEvent.click(screen.getByRole("menuitem", { name: TRANSITIONS.update.label }));
    expect(onAction).toHaveBeenCalledWith("update");
    expect(more.getAttribute("aria-expanded")).toBe("false");
  });

  it("an IN_PROGRESS incident offers Resolve and reports the command", () => {
    const onAction = vi.fn();
    render(<ActionBar incident={incident({ state: IncidentState.IN_PROGRESS })} onAction={onAction} />);
    fireEvent.click(screen.getByRole("button", { name: TRANSITIONS.resolve.label }));
    expect(onAction).toHaveBeenCalledWith("resolve");
  });

  it("a CLOSED incident offers nothing", () => {
    render(<ActionBar incident={incident({ state: IncidentState.CLOSED })} onAction={() => {}} />);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.getByTestId("actions-none").textContent).toMatch(/never be reopened/);
  });

  it("hides what the user may not do (a responder cannot start work on someone else's NEW incident)", () => {
    const actor = { id: "u-resp", role: Role.RESPONDER, queueIds: [] };
    render(<ActionBar incident={incident()} actor={actor} onAction={() => {}} />);
    expect(offered()).not.toContain("startWork");
  });
});

describe("PublicUpdateComposer", () => {
  it("previews with the same component the status page uses", () => {
    render(<PublicUpdateComposer incident={incident()} />);
    fireEvent.change(screen.getByLabelText("Message for customers"), { target: { value: "We found it" } });
    const preview = screen.getByTestId("public-update-preview");
    expect(within(preview).getByTestId("public-update-draft").textContent).toContain("We found it");
    // identical markup to the status page's item
    const { container } = render(
      <ol>
        <PublicUpdateItem
          update={{
            id: "draft",
            status: PublicStatus.INVESTIGATING,
            message: "We found it",
            at: new Date().toISOString(),
          }}
        />
      </ol>,
    );
    expect(preview.querySelector("li")?.className).toBe(container.querySelector("li")?.className);
  });
});

const entry = (id: string, seq: string, body: string): TimelineEntry => ({
  id,
  seq,
  kind: "NOTE" as TimelineEntry["kind"],
  authorName: "Ann",
  body,
  at: "2025-01-01T00:00:00Z",
  data: null,
  redaction: null,
});

describe("room state", () => {
  it("adds timeline entries once, in seq order, and ignores older incident versions", () => {
    const state = { incident: incident({ version: 3 }), timeline: [entry("a", "5", "first")] };
    let next = applyRoomEvent(state, {
      seq: "7",
      at: "",
      incident: incident({ version: 4, title: "New title" }),
      entry: entry("c", "7", "third"),
    });
    next = applyRoomEvent(next, {
      seq: "6",
      at: "",
      incident: incident({ version: 2, title: "Stale" }),
      entry: entry("b", "6", "second"),
    });
    next = applyRoomEvent(next, {
      seq: "7",
      at: "",
      incident: incident({ version: 4, title: "New title" }),
      entry: entry("c", "7", "third"),
    });
    expect(next.timeline.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(next.incident.title).toBe("New title");
  });

  it("a redaction arriving live blanks the entry it names and says who removed it and why", () => {
    const secret = entry("s", "5", "password=hunter2");
    const tomb: TimelineEntry = {
      ...entry("t", "9", "A password was pasted"),
      kind: "REDACTION" as TimelineEntry["kind"],
      authorName: "Ada Admin",
      data: { redactedEntryId: "s", redactedSeq: "5" },
    };
    const state = { incident: incident(), timeline: [secret] };
    const next = applyRoomEvent(state, { seq: "9", at: "", incident: incident(), entry: tomb });
    expect(next.timeline.map((e) => [e.id, e.body])).toEqual([
      ["s", null],
      ["t", "A password was pasted"],
    ]);
    expect(next.timeline[0]?.redaction).toEqual({
      authorName: "Ada Admin",
      at: tomb.at,
      reason: "A password was pasted",
    });
    render(<Timeline entries={next.timeline} onRedact={() => {}} />);
    expect(screen.getByTestId("timeline-redacted").textContent).toContain("Reason: A password was pasted");
    // Nothing left to redact: neither the blanked entry nor the tombstone offers "Redact".
    expect(screen.queryAllByTestId("timeline-redact")).toHaveLength(0);
  });

  it("offers Redact only to whoever may redact, on entries that still have text", () => {
    render(<Timeline entries={[entry("a", "1", "Restarted the pods")]} />);
    expect(screen.queryAllByTestId("timeline-redact")).toHaveLength(0);
    cleanup();
    const onRedact = vi.fn();
    render(<Timeline entries={[entry("a", "1", "Restarted the pods")]} onRedact={onRedact} />);
    fireEvent.click(screen.getByRole("button", { name: "Redact entry #1" }));
    expect(onRedact).toHaveBeenCalledWith(expect.objectContaining({ id: "a" }));
  });

  it("shows an action item added or ticked here at once, replacing it by id", () => {
    const item = { id: "x", title: "Alert on pool size", done: false, dueAt: null, owner: null };
    const state = { incident: incident(), timeline: [] };
    const added = withActionItem(state, item);
    expect(added.incident.actionItems).toEqual([item]);
    const ticked = withActionItem(added, { ...item, done: true });
    expect(ticked.incident.actionItems).toEqual([{ ...item, done: true }]);
  });

  it("says which state a lifecycle entry led to, and why", () => {
    const hold: TimelineEntry = {
      ...entry("h", "2", "Waiting for the vendor"),
      kind: "STATE_CHANGE" as TimelineEntry["kind"],
      data: { command: "hold", holdReason: "AWAITING_VENDOR" },
    };
    render(<Timeline entries={[hold]} />);
    expect(screen.getByTestId("timeline-state").textContent).toBe("→ On hold · Awaiting vendor");
  });

  it("renders the timeline with its test id", () => {
    render(<Timeline entries={[entry("a", "1", "Restarted the pods")]} />);
    expect(screen.getByTestId("timeline").textContent).toContain("Restarted the pods");
  });
});

describe("incident list state", () => {
  const ME = { id: "me", role: Role.AGENT, queueIds: [] };

  it("drops incidents that stop matching the filter and adds new matching ones on top", () => {
    const list = { items: [incident()], totalCount: 1, hasNextPage: false, endCursor: null };
    const closed = applyIncidentEvent(
      list,
      { seq: "2", at: "", incident: incident({ state: IncidentState.CLOSED, version: 2 }) },
      DEFAULT_FILTER,
      ME,
    );
    expect(closed.items).toHaveLength(0);
    const added = applyIncidentEvent(
      closed,
      { seq: "3", at: "", incident: incident({ id: "i2" }) },
      DEFAULT_FILTER,
      ME,
    );
    expect(added.items.map((i) => i.id)).toEqual(["i2"]);
    expect(added.totalCount).toBe(1);
  });

  describe("in the server's order (due soonest)", () => {
    const DUE = IncidentOrder.DUE_SOONEST;
    const at = (id: string, n: number, nextDueAt: string | null, version = 1) =>
      incident({
        id,
        version,
        number: `INC-${String(n).padStart(6, "0")}`,
        sla: { ...SETTLED_SLA, nextDueAt },
      });
    const overdue = at("a", 1, "2026-12-01T09:00:00Z");
    const soon = at("b", 2, "2026-12-01T10:15:00Z");
    const later = at("c", 3, "2026-12-01T14:00:00Z");
    const heldOld = at("d", 4, null);
    const heldNew = at("e", 5, null);

    it("compares like the server: due time ascending, none last, newest first among equals", () => {
      const shuffled = [heldOld, later, heldNew, soon, overdue];
      expect(shuffled.sort((x, y) => compareIncidents(DUE, x, y)).map((i) => i.id)).toEqual([
        "a",
        "b",
        "c",
        "e",
        "d",
      ]);
      expect([soon, later].sort((x, y) => compareIncidents(IncidentOrder.NEWEST, x, y))).toEqual([
        later,
        soon,
      ]);
    });

    it("a hold moves an incident to the end, the resume brings it back to its place", () => {
      const list = {
        items: [overdue, soon, later, heldNew],
        totalCount: 4,
        hasNextPage: false,
        endCursor: null,
      };
      const ids = (s: { items: { id: string }[] }) => s.items.map((i) => i.id);
      const held = applyIncidentEvent(
        list,
        { seq: "2", at: "", incident: at("b", 2, null, 2) },
        DEFAULT_FILTER,
        ME,
        DUE,
      );
      expect(ids(held)).toEqual(["a", "c", "e", "b"]);
      expect(held.totalCount).toBe(4);
      // Resumed after an hour on hold: due an hour later than before.
      const resumed = applyIncidentEvent(
        held,
        { seq: "3", at: "", incident: at("b", 2, "2026-12-01T11:15:00Z", 3) },
        DEFAULT_FILTER,
        ME,
        DUE,
      );
      expect(ids(resumed)).toEqual(["a", "b", "c", "e"]);
      // A new incident takes its place by due time, not on top.
      const opened = applyIncidentEvent(
        resumed,
        { seq: "4", at: "", incident: at("f", 6, "2026-12-01T12:00:00Z") },
        DEFAULT_FILTER,
        ME,
        DUE,
      );
      expect(ids(opened)).toEqual(["a", "b", "f", "c", "e"]);
      expect(opened.totalCount).toBe(5);
    });

    it("while more pages wait, what sorts after the last row loaded belongs to them", () => {
      const list = {
        items: [overdue, soon],
        totalCount: 10,
        hasNextPage: true,
        endCursor: "c2",
        boundary: keyOf(soon),
      };
      const held = applyIncidentEvent(
        list,
        { seq: "2", at: "", incident: at("a", 1, null, 2) },
        DEFAULT_FILTER,
        ME,
        DUE,
      );
      expect(held.items.map((i) => i.id)).toEqual(["b"]);
      expect(held.totalCount).toBe(10);
      const beyond = applyIncidentEvent(list, { seq: "3", at: "", incident: later }, DEFAULT_FILTER, ME, DUE);
      expect(beyond).toBe(list);
      const within = applyIncidentEvent(
        list,
        { seq: "4", at: "", incident: at("g", 7, "2026-12-01T10:00:00Z") },
        DEFAULT_FILTER,
        ME,
        DUE,
      );
      expect(within.items.map((i) => i.id)).toEqual(["a", "g", "b"]);
    });
  });

  it("filters by category like the server: a top-level category includes its subcategories", () => {
    const dns = { id: "dns", name: "DNS", path: "Network / DNS", parent: { id: "net" } };
    const net = { id: "net", name: "Network", path: "Network", parent: null };
    const byNetwork = { ...DEFAULT_FILTER, categoryId: "net" };
    expect(matchesFilter(incident({ category: dns }), byNetwork, ME)).toBe(true);
    expect(matchesFilter(incident({ category: net }), byNetwork, ME)).toBe(true);
    expect(matchesFilter(incident({ category: null }), byNetwork, ME)).toBe(false);
    expect(matchesFilter(incident({ category: net }), { ...DEFAULT_FILTER, categoryId: "dns" }, ME)).toBe(
      false,
    );
    expect(toIncidentFilter(byNetwork)).toMatchObject({ categoryId: "net" });
  });
});

describe("change records in words", () => {
  const names = {
    services: [{ id: "s1", name: "Checkout API", slug: "checkout-api", group: null }],
    queues: [
      { id: "q1", name: "Payments on-call", members: [{ id: "u1", name: "Rui Responder" }], manager: null },
    ],
    users: [],
  };

  it("names people, queues and services instead of ids, and states in words", () => {
    const changes = describeChanges(
      {
        changes: {
          state: { from: "ASSIGNED", to: "IN_PROGRESS" },
          assigneeId: { from: null, to: "u1" },
          queueId: { to: "q1" },
          serviceIds: { from: [], to: ["s1"] },
          public: { from: false, to: true },
        },
      },
      names,
    );
    expect(changes.map((c) => `${c.label}: ${c.from} → ${c.to}`)).toEqual([
      "State: Assigned → In progress",
      "Assignee: — → Rui Responder",
      "Queue: — → Payments on-call",
      "Services: — → Checkout API",
      "On the status page: No → Yes",
    ]);
  });

  it("names categories and problem records, and a problem's states", () => {
    const more = {
      ...names,
      categories: [
        {
          id: "c1",
          name: "Network",
          path: "Network",
          children: [{ id: "c2", name: "DNS", path: "Network / DNS" }],
        },
      ],
      problems: [{ id: "p1", number: "PRB-000001", title: "Pool", state: "OPEN" as never }],
    };
    const changes = describeChanges(
      {
        changes: {
          categoryId: { from: null, to: "c2" },
          problemId: { to: "p1" },
          state: { from: "OPEN", to: "KNOWN_ERROR" },
        },
      },
      more,
    );
    expect(changes.map((c) => `${c.label}: ${c.from} → ${c.to}`)).toEqual([
      "Category: — → Network / DNS",
      "Problem record: — → PRB-000001",
      "State: Open → Known error",
    ]);
  });

  it("keeps unknown fields readable and shortens unknown ids", () => {
    expect(fieldLabel("customerConfirmedAt")).toBe("Customer confirmed at");
    expect(fieldLabel("somethingNew")).toBe("Something new");
    const [c] = describeChanges(
      { changes: { assigneeId: { to: "9ef03978-e109-4af4-b678-3a1feee8e961" } } },
      names,
    );
    expect(c?.to).toBe("9ef03978…");
  });
});

describe("PublicUpdateComposer follows the live public status", () => {
  const select = () => screen.getByTestId("public-status-select") as HTMLSelectElement;
  const enabled = () =>
    Array.from(select().options)
      .filter((o) => !o.disabled)
      .map((o) => o.value);

  it("starts at the incident's current public status and shows it", () => {
    render(<PublicUpdateComposer incident={incident({ publicStatus: PublicStatus.IDENTIFIED })} />);
    expect(select().value).toBe(PublicStatus.IDENTIFIED);
    expect(screen.getByTestId("current-public-status").dataset.status).toBe(PublicStatus.IDENTIFIED);
  });

  it("a composer left open cannot send Investigating once a colleague resolved the incident", () => {
    const { rerender } = render(
      <PublicUpdateComposer incident={incident({ state: IncidentState.IN_PROGRESS })} />,
    );
    fireEvent.change(select(), { target: { value: PublicStatus.INVESTIGATING } });
    expect(select().value).toBe(PublicStatus.INVESTIGATING);
    // The room's incident changes live underneath the open composer.
    rerender(
      <PublicUpdateComposer
        incident={incident({ state: IncidentState.RESOLVED, publicStatus: PublicStatus.RESOLVED })}
      />,
    );
    expect(select().value).toBe(PublicStatus.RESOLVED);
    expect(enabled()).toEqual([PublicStatus.RESOLVED]);
    expect(screen.getByTestId("public-status-locked").textContent).toMatch(/reopen the incident/);
    // The preview is the whole card as customers will see it.
    const preview = screen.getByTestId("public-update-preview");
    expect(within(preview).getByTestId("public-incident-preview").dataset.status).toBe(PublicStatus.RESOLVED);
  });

  it("a premature Resolved on an incident still worked can be corrected", () => {
    render(
      <PublicUpdateComposer
        incident={incident({ state: IncidentState.IN_PROGRESS, publicStatus: PublicStatus.RESOLVED })}
      />,
    );
    expect(enabled()).toEqual(Object.values(PublicStatus));
  });
});

describe("closure checklist", () => {
  const reqs = [
    { key: "RESOLVED", label: "The incident is resolved (service restored)", met: true, detail: null },
    {
      key: "CUSTOMER_CONFIRMATION_OR_ATTEMPTS",
      label: "The customer confirmed the fix, or could not be reached",
      met: false,
      detail: "1 of 3 attempts, 1 of 2 methods, 0 of 5 business days",
    },
    { key: "REVIEW", label: "A post-incident review is completed", met: false, detail: null },
  ];

  it("shows each requirement with the buttons that meet it, and says why Close cannot work yet", () => {
    const onAction = vi.fn();
    render(
      <ClosureChecklist
        requirements={reqs}
        allowed={["confirmResolution", "logContactAttempt", "close"]}
        onAction={onAction}
      />,
    );
    expect(screen.getByTestId("closure-RESOLVED").dataset.met).toBe("true");
    expect(screen.getByTestId("closure-REVIEW").dataset.met).toBe("false");
    fireEvent.click(screen.getByTestId("closure-action-logContactAttempt"));
    expect(onAction).toHaveBeenCalledWith("logContactAttempt");
    // Not allowed to this person: no button for the review.
    expect(screen.queryByTestId("closure-action-completeReview")).toBeNull();
    expect(closeBlockedBy(reqs)).toBe(
      "Close needs: the customer confirmed the fix, or could not be reached; a post-incident review is completed.",
    );
    expect(closeBlockedBy(reqs.map((r) => ({ ...r, met: true })))).toBeNull();
  });

  it("the action bar disables Close with the reason", () => {
    render(
      <ActionBar
        incident={incident({ state: IncidentState.RESOLVED })}
        onAction={() => {}}
        blocked={{ close: "Close needs: a review." }}
      />,
    );
    const close = screen.getByTestId("action-close") as HTMLButtonElement;
    expect(close.disabled).toBe(true);
    expect(document.getElementById(close.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "Close needs: a review.",
    );
  });
});

describe("service impacts in the change history", () => {
  it("names the services and their status in words", () => {
    const names = {
      services: [{ id: "s-1", name: "Checkout", slug: "checkout", group: null }],
      queues: [],
      users: [],
    };
    const [change] = describeChanges(
      { changes: { serviceImpacts: { from: {}, to: { "s-1": "MAJOR_OUTAGE" } } } },
      names,
    );
    expect(change).toEqual({
      field: "serviceImpacts",
      label: "On the status page, services",
      from: "—",
      to: "Checkout: Major outage",
    });
  });
});

describe("the edit form and publishing (one permission)", () => {
  const catalog = { services: [], queues: [], users: [] } as unknown as Parameters<
    NonNullable<(typeof ACTION_FORMS)["update"]>["fields"]
  >[1];
  const names = (canPublish: boolean) =>
    ACTION_FORMS.update!.fields(incident(), catalog, {}, { canPublish }).map((f) => f.name);

  it("offers 'public' only to someone who may publish, and says who renames a public incident", () => {
    expect(names(true)).toContain("public");
    expect(names(false)).not.toContain("public");
    const [title] = ACTION_FORMS.update?.fields(incident(), catalog, {}, { canPublish: false }) ?? [];
    expect(title?.help).toMatch(/incident manager/);
  });
});
