import { User } from "../auth/user.entity";
import { Role, ServiceStatus } from "../domain/vocabulary";
import type { Beacon, Principal } from "../kernel/context";
import { createQueue } from "../queues";
import { createService, setServiceStatus } from "../services";

/**
 * A small, clearly labelled demo catalogue for a brand-new embedded database, so a newcomer's
 * first page is a living status page. Made through the normal services: history and events
 * included. Opt out with BEACON_DEMO=0.
 */
const DEMO = [
  { name: "Website", group: "Demo: Customer-facing", description: "Demo service — the public website" },
  { name: "API", group: "Demo: Customer-facing", description: "Demo service — the public REST/GraphQL API" },
  { name: "Checkout", group: "Demo: Customer-facing", description: "Demo service — payments and orders" },
  { name: "Email notifications", group: "Demo: Back office", description: "Demo service — outbound email" },
  { name: "Reporting", group: "Demo: Back office", description: "Demo service — dashboards and exports" },
];

export async function seedDemo(beacon: Beacon): Promise<void> {
  const admin = await beacon.db.manager.findOneOrFail(User, {
    where: { role: Role.ADMIN },
    order: { createdAt: "ASC" },
  });
  const actor: Principal = {
    user: admin,
    via: "session",
    scopes: null,
    queueIds: [],
    sessionId: null,
    apiKeyId: null,
  };
  const made = [];
  for (const d of DEMO) made.push(await createService(beacon, actor, d));
  // One service starts degraded, so the demo page shows what a problem looks like.
  const reporting = made.find((s) => s.name === "Reporting");
  if (reporting) await setServiceStatus(beacon, actor, reporting.id, ServiceStatus.DEGRADED_PERFORMANCE);
  // An escalation queue, so incidents can be assigned right away (add people to it in Admin).
  await createQueue(beacon, "Demo: On-call", [admin.id]);
  beacon.log.info({ services: made.length }, "demo catalogue created (set BEACON_DEMO=0 to start empty)");
}
