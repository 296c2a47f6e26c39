import { useState } from "react";
import { RoomRole } from "../../../server/domain/vocabulary";
import { mutate, toRequestError } from "../graphql-client";
import type { Incident, User } from "./queries";
import { ASSIGN_ROOM_ROLE } from "./queries";

export const ROOM_ROLES: { role: RoomRole; label: string }[] = [
  { role: RoomRole.INCIDENT_COMMANDER, label: "Incident commander" },
  { role: RoomRole.COMMUNICATIONS_LEAD, label: "Communications lead" },
  { role: RoomRole.SCRIBE, label: "Scribe" },
];

/** Room roles: who commands, who talks to customers, who writes things down. */
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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<RoomRole | null>(null);

  /** userId "" frees the role. */
  const assign = async (role: RoomRole, userId: string) => {
    setBusy(role);
    setError(null);
    try {
      const { assignRoomRole } = await mutate(ASSIGN_ROOM_ROLE, {
        incidentId: incident.id,
        role,
        userId: userId || null,
        expectedVersion: incident.version,
      });
      onChanged(assignRoomRole);
    } catch (e) {
      setError(toRequestError(e).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="roles-title" data-testid="room-roles">
      <h2 id="roles-title" className="panel-title">
        Roles
      </h2>
      <dl className="roles">
        {ROOM_ROLES.map(({ role, label }) => {
          const holder = incident.roomRoles.find((r) => r.role === role)?.user;
          return (
            <div key={role} className="role" data-testid={`room-role-${role}`}>
              <dt>{label}</dt>
              <dd>
                {canAssign && users.length > 0 ? (
                  <select
                    aria-label={label}
                    value={holder?.id ?? ""}
                    disabled={busy === role}
                    onChange={(e) => assign(role, e.target.value)}
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
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
