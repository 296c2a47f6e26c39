import { StatusEventKind } from "../domain/vocabulary";
import { EventRecord } from "../events/event.entity";
import { type PublicIncidentView, publicIncidentById } from "../incidents";
import type { Beacon } from "../kernel/context";
import { type MaintenanceView, maintenanceViews } from "../maintenance";
import { Maintenance } from "../maintenance/maintenance.entity";
import { type PublicServiceView, publicService } from "../services";
import { Service } from "../services/service.entity";

/**
 * Replays show only what is public now (docs/events.md, "Replays show what is public now").
 *
 * A public event carries the projection taken when it was written: right for a live subscriber, who
 * gets every later change as its own event, but a replay must not hand out text that has since been
 * withdrawn. So the events a subscription replays (committed before it arrived: seq at or below
 * `horizon`, the last seq this instance had dispatched) are projected again, at delivery, from the
 * current public state: an incident that is no longer public (made private, canceled) becomes a
 * withdrawn marker (`withdrawnIncidentId`, no incident); one still public carries its current
 * projection (a renamed incident its current title); a service or a maintenance window its current
 * name/title and description, with the status or state the event recorded (status changes are
 * the story being replayed, not withdrawable text). Events
 * after the horizon are live and pass unchanged.
 *
 * Re-projected events are marked `replayed`: the shared fan-out does not memoise them (their
 * content depends on when they are delivered, not only on their seq).
 */
export function publicNow(
  beacon: Beacon,
  source: AsyncIterableIterator<EventRecord>,
  horizon: bigint | null,
): AsyncIterableIterator<EventRecord> {
  if (horizon === null) return source;
  const m = beacon.db.manager;
  // One read per incident or service for the whole replay.
  let incidents = new Map<string, Promise<PublicIncidentView | null>>();
  let services = new Map<string, Promise<PublicServiceView | null>>();
  let maintenances = new Map<string, Promise<MaintenanceView | null>>();
  const incidentNow = (id: string) => {
    let view = incidents.get(id);
    if (!view) {
      view = publicIncidentById(m, id);
      incidents.set(id, view);
    }
    return view;
  };
  const serviceNow = (id: string) => {
    let view = services.get(id);
    if (!view) {
      view = m.findOne(Service, { where: { id } }).then((s) => (s ? publicService(s) : null));
      services.set(id, view);
    }
    return view;
  };

  const maintenanceNow = (id: string) => {
    let view = maintenances.get(id);
    if (!view) {
      view = m
        .findOne(Maintenance, { where: { id } })
        .then(async (row) => (row ? ((await maintenanceViews(m, [row]))[0] ?? null) : null));
      maintenances.set(id, view);
    }
    return view;
  };

  const project = async (e: EventRecord): Promise<EventRecord> => {
    const replayed = (payload: Record<string, unknown>, kind = e.kind) =>
      Object.assign(new EventRecord(), e, { kind, payload, replayed: true });
    if (e.incidentId && ("incident" in e.payload || "withdrawnIncidentId" in e.payload)) {
      const view = await incidentNow(e.incidentId);
      return view
        ? replayed({ incident: view })
        : replayed({ withdrawnIncidentId: e.incidentId }, StatusEventKind.INCIDENT_UPDATED);
    }
    if (e.serviceId && "service" in e.payload) {
      // Its words as they are now; its status as the event recorded it (a status story, not text).
      const view = await serviceNow(e.serviceId);
      const service = e.payload.service as PublicServiceView;
      return replayed(
        view
          ? {
              ...e.payload,
              service: { ...service, name: view.name, description: view.description, group: view.group },
            }
          : e.payload,
      );
    }
    const maintenanceId = (e.payload.maintenance as { id?: unknown } | undefined)?.id;
    if (typeof maintenanceId === "string") {
      const view = await maintenanceNow(maintenanceId);
      const window = e.payload.maintenance as MaintenanceView;
      return replayed(
        view
          ? { ...e.payload, maintenance: { ...window, title: view.title, description: view.description } }
          : e.payload,
      );
    }
    return replayed(e.payload);
  };

  const iterator: AsyncIterableIterator<EventRecord> = {
    next: async () => {
      const step = await source.next();
      if (step.done) return step;
      if (BigInt(step.value.seq) > horizon) {
        incidents = new Map();
        services = new Map();
        maintenances = new Map();
        return step;
      }
      return { done: false, value: await project(step.value) };
    },
    return: async () => (await source.return?.()) ?? { done: true, value: undefined },
    throw: async (err: unknown) => {
      if (source.throw) return source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
