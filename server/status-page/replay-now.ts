import { StatusEventKind } from "../domain/vocabulary";
import { EventRecord } from "../events/event.entity";
import { publicIncidentById } from "../incidents";
import type { Beacon } from "../kernel/context";
import { type MaintenanceView, maintenanceViews } from "../maintenance";
import { Maintenance } from "../maintenance/maintenance.entity";
import { type PublicServiceView, publicService } from "../services";
import { Service } from "../services/service.entity";

/**
 * Current public views, shared by every replaying subscription on this instance while the hub's
 * last dispatched seq stays the same: a reconnect storm (thousands of pages resuming from the same
 * seq) reads each incident, service or window once, not once per page. A view read while the hub
 * stood at seq L shows the public state as of L or later; anything that changes it afterwards
 * comes as an event after L, which every such subscription receives live after its replay.
 */
const sharedViews = new WeakMap<Beacon, { seq: string; views: Map<string, Promise<unknown>> }>();

function viewsNow(beacon: Beacon): { seq: string; view<T>(key: string, load: () => Promise<T>): Promise<T> } {
  const seq = beacon.hub.lastSeq;
  let cache = sharedViews.get(beacon);
  if (!cache || cache.seq !== seq) {
    cache = { seq, views: new Map() };
    sharedViews.set(beacon, cache);
  }
  const { views } = cache;
  return {
    seq,
    view<T>(key: string, load: () => Promise<T>): Promise<T> {
      let v = views.get(key) as Promise<T> | undefined;
      if (!v) {
        v = load();
        views.set(key, v);
        // A failed read is not kept: the next replay tries again.
        v.catch(() => views.delete(key));
      }
      return v;
    },
  };
}

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
 * Re-projected events are marked `replayed` and `projectedAt` (the hub's seq whose views they were
 * projected from): their content depends on when they are delivered, so the shared fan-out
 * memoises them by (seq, projectedAt), never by their seq alone.
 */
export function publicNow(
  beacon: Beacon,
  source: AsyncIterableIterator<EventRecord>,
  horizon: bigint | null,
): AsyncIterableIterator<EventRecord> {
  if (horizon === null) return source;
  const m = beacon.db.manager;
  let now = viewsNow(beacon);
  const incidentNow = (id: string) => now.view(`incident ${id}`, () => publicIncidentById(m, id));
  const serviceNow = (id: string) =>
    now.view(`service ${id}`, () =>
      m.findOne(Service, { where: { id } }).then((s) => (s ? publicService(s) : null)),
    );
  const maintenanceNow = (id: string) =>
    now.view(`maintenance ${id}`, () =>
      m
        .findOne(Maintenance, { where: { id } })
        .then(async (row) => (row ? ((await maintenanceViews(m, [row]))[0] ?? null) : null)),
    );

  const project = async (e: EventRecord): Promise<EventRecord> => {
    // Every view of one projection comes from one cache generation (`now`), named by its seq: the
    // same event projected at the same seq is the same result (the shared fan-out memoises on it).
    now = viewsNow(beacon);
    const projectedAt = now.seq;
    const replayed = (payload: Record<string, unknown>, kind = e.kind) =>
      Object.assign(new EventRecord(), e, { kind, payload, replayed: true, projectedAt });
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
      if (BigInt(step.value.seq) > horizon) return step;
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
