import { ChangeRecordResolver } from "../history/change-record.resolver";
import { QueueResolver } from "../queues/queue.resolver";
import { IncidentResolver } from "./incident.resolver";

/** The incident feature's resolvers (incidents, queues, change records), registered in app/schema.ts. */
export const RESOLVERS: (new () => object)[] = [IncidentResolver, QueueResolver, ChangeRecordResolver];
