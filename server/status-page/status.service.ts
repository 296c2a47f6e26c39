import { type DataSource, Not } from "typeorm";
import { overallStatus } from "../domain/status";
import { IncidentState, type StatusIndicator } from "../domain/vocabulary";
import { currentSeq } from "../events";
import { activePublicIncidents, type PublicIncidentView, publicIncidents } from "../incidents";
import { Incident } from "../incidents/incident.entity";
import { activeMaintenances, type MaintenanceView } from "../maintenance";
import { listServices, type PublicServiceView, publicService } from "../services";

export interface StatusSummaryView {
  seq: string;
  indicator: StatusIndicator;
  description: string;
  services: PublicServiceView[];
  activeIncidents: PublicIncidentView[];
  maintenances: MaintenanceView[];
  updatedAt: Date;
}

/**
 * One consistent snapshot: the data and the seq it reflects are read in the same REPEATABLE READ
 * transaction, so a client resuming from that seq gets exactly what came after.
 */
export async function statusSummary(db: DataSource): Promise<StatusSummaryView> {
  const qr = db.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction("REPEATABLE READ");
    const m = qr.manager;
    const seq = await currentSeq(m);
    const services = (await listServices(m)).map(publicService);
    const activeIncidents = await activePublicIncidents(m);
    const maintenances = await activeMaintenances(m);
    await qr.commitTransaction();
    const { indicator, description } = overallStatus(services, activeIncidents);
    const times = [
      ...services.map((s) => s.updatedAt.getTime()),
      ...activeIncidents.flatMap((i) => [i.startedAt.getTime(), ...i.updates.map((u) => u.at.getTime())]),
    ];
    return {
      seq,
      indicator,
      description,
      services,
      activeIncidents,
      maintenances,
      updatedAt: new Date(times.length ? Math.max(...times) : 0),
    };
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw e;
  } finally {
    await qr.release();
  }
}

/** Public incident history, newest first, resolved included. */
export async function publicIncidentHistory(
  db: DataSource,
  first: number,
  offset: number,
): Promise<PublicIncidentView[]> {
  const rows = await db.manager.find(Incident, {
    where: { isPublic: true, state: Not(IncidentState.CANCELED) },
    order: { createdAt: "DESC", id: "DESC" },
    take: first,
    skip: offset,
  });
  return publicIncidents(db.manager, rows);
}
