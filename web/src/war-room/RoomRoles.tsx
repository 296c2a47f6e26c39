import { useState } from "react";
import { RoomRole } from "../../../server/domain/vocabulary";
import { mutate } from "../graphql-client";
import { useSubmit } from "./form-state";
import type { Incident, User } from "./queries";
import { ASSIGN_ROOM_ROLE } from "./queries";

export const ROOM_ROLES: { role: RoomRole; label: string }[] = [
  { role: RoomRole.INCIDENT_COMMANDER, label: "Incident commander" },
  { role: RoomRole.COMMUNICATIONS_LEAD, label: "Communications lead" },
  { role: RoomRole.SCRIBE, label: "Scribe" },
];

function roleLabel(role: RoomRole): string {
  return ROOM_ROLES.find((r) => r.role === role)?.label ?? role;
}

/**
 * Assigns (or, with userId "", frees) a room role against the version on screen, through the
 * shared `useSubmit` (one change at a time); `then` runs once it succeeded. `busy` is the role
 * being changed, or null.
 */
function useAssignRole(incident: Incident, onChanged: (incident: Incident) => void) {
  const submit = useSubmit();
  const [busyRole, setBusyRole] = useState<RoomRole | null>(null);
  const assign = (role: RoomRole, userId: string, then?: () => void) =>
    submit.run(async () => {
      setBusyRole(role);
      try {
        const { assignRoomRole } = await mutate(ASSIGN_ROOM_ROLE, {
          incidentId: incident.id,
          role,
          userId: userId || null,
          expectedVersion: incident.version,
        });
        onChanged(assignRoomRole);
        then?.();
      } finally {
        setBusyRole(null);
      }
    });
  return { assign, error: submit.error?.message ?? null, busy: submit.busy ? busyRole : null };
}

/** Whether the room should ask for a commander: a live P1/P2 that has none. */
export function needsCommander(incident: Pick<Incident, "priority" | "state" | "roomRoles">): boolean {
  const live = incident.state !== "RESOLVED" && incident.state !== "CLOSED" && incident.state !== "CANCELED";
  return (
    live &&
    (incident.priority === "P1" || incident.priority === "P2") &&
    !incident.roomRoles.some((r) => r.role === RoomRole.INCIDENT_COMMANDER && r.user)
  );
}

/** A P1/P2 with nobody in charge: one click to take command, or a picker to hand it to someone. */
export function CommanderPrompt({
  incident,
  users,
  selfId,
  onChanged,
}: {
  incident: Incident;
  users: User[];
  selfId: string;
  onChanged: (incident: Incident) => void;
}) {
  const { assign, error, busy } = useAssignRole(incident, onChanged);
  const [pick, setPick] = useState("");
  const others = users.filter((u) => u.id !== selfId);
  return (
    <section
      className="notice notice-warning commander-prompt"
      aria-labelledby="commander-prompt-title"
      data-testid="commander-prompt"
    >
      <p>
        <strong id="commander-prompt-title">No incident commander.</strong> A {incident.priority} needs one
        person in charge of decisions and hand-offs.
      </p>
      <button
        type="button"
        className="button button-primary"
        data-testid="commander-take"
        disabled={busy !== null}
        onClick={() => assign(RoomRole.INCIDENT_COMMANDER, selfId)}
      >
        I'll take it
      </button>
      {others.length > 0 && (
        <form
          className="commander-pick"
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) assign(RoomRole.INCIDENT_COMMANDER, pick);
          }}
        >
          <select
            aria-label="Incident commander"
            value={pick}
            data-testid="commander-pick"
            onChange={(e) => setPick(e.target.value)}
          >
            <option value="">Someone else…</option>
            {others.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={!pick || busy !== null}>
            Make commander
          </button>
        </form>
      )}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * Room roles: who commands, who talks to customers, who writes things down. Handing a held role
 * to someone else, or freeing it, asks first: the holder may be mid-way through something.
 */
export function RoomRoles({
  incident,
  users,
  canAssign,
  onChanged,
}: {
  incident: Incident;
  users: User[];
  canAssign: boolean;
  onChanged: (incident: Incident) => void;
}) {
  const { assign, error, busy } = useAssignRole(incident, onChanged);
  const [pending, setPending] = useState<{ role: RoomRole; userId: string } | null>(null);

  const holderOf = (role: RoomRole) => incident.roomRoles.find((r) => r.role === role)?.user ?? null;
  const choose = (role: RoomRole, userId: string) => {
    const holder = holderOf(role);
    if (holder && holder.id !== userId) setPending({ role, userId });
    else if (!holder && userId) void assign(role, userId);
  };
  const pendingHolder = pending ? holderOf(pending.role) : null;
  const pendingName = pending ? users.find((u) => u.id === pending.userId)?.name : undefined;

  return (
    <section className="panel" aria-labelledby="roles-title" data-testid="room-roles">
      <h2 id="roles-title" className="panel-title">
        Roles
      </h2>
      <dl className="roles">
        {ROOM_ROLES.map(({ role, label }) => {
          const holder = holderOf(role);
          return (
            <div key={role} className="role" data-testid={`room-role-${role}`}>
              <dt>{label}</dt>
              <dd>
                {canAssign && users.length > 0 ? (
                  <select
                    aria-label={label}
                    value={pending?.role === role ? pending.userId : (holder?.id ?? "")}
                    // One change at a time: useSubmit would ignore a second while the first is under way.
                    disabled={busy !== null || (pending !== null && pending.role !== role)}
                    onChange={(e) => choose(role, e.target.value)}
                  >
                    <option value="">Unassigned</option>
                    {users.map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span>{holder?.name ?? <span className="muted">Unassigned</span>}</span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {pending && pendingHolder && (
        <div
          className="notice notice-warning small"
          role="alertdialog"
          aria-labelledby="role-confirm-text"
          data-testid="role-confirm"
        >
          <p id="role-confirm-text">
            {pending.userId
              ? `Hand ${roleLabel(pending.role).toLowerCase()} from ${pendingHolder.name} to ${pendingName ?? "them"}?`
              : `Free the ${roleLabel(pending.role).toLowerCase()} role? ${pendingHolder.name} no longer holds it.`}
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setPending(null)}>
              Keep {pendingHolder.name}
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="role-confirm-yes"
              disabled={busy !== null}
              onClick={() => assign(pending.role, pending.userId, () => setPending(null))}
            >
              {pending.userId ? "Hand over" : "Free the role"}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
