import { Initial1795818973553 } from "./1795818973553-Initial";
import { HistoryGuardsAndCounters1795818973600 } from "./1795818973600-HistoryGuardsAndCounters";
import { RoomRoles1795820013064 } from "./1795820013064-RoomRoles";
import { Reach1796131801813 } from "./1796131801813-Reach";
import { Maintenance1796133554625 } from "./1796133554625-Maintenance";
import { RecordIntegrity1796140000000 } from "./1796140000000-RecordIntegrity";
import { SessionIdle1796142267992 } from "./1796142267992-SessionIdle";
import { PublicStory1796143000000 } from "./1796143000000-PublicStory";
import { UptimeRollups1796147251655 } from "./1796147251655-UptimeRollups";
import { RateLimitTable1796149000000 } from "./1796149000000-RateLimitTable";
import { Notifications1796153103215 } from "./1796153103215-Notifications";
import { IncidentOpenedIndex1796153503225 } from "./1796153503225-IncidentOpenedIndex";
import { ServiceLevels1796154000000 } from "./1796154000000-ServiceLevels";
import { IncidentNextDue1796165627582 } from "./1796165627582-IncidentNextDue";
import { IncidentMetricsSample1796181292358 } from "./1796181292358-IncidentMetricsSample";

/** In order. `npm run migration:generate -- Name` writes new ones; add them here. */
export const MIGRATIONS = [
  Initial1795818973553,
  HistoryGuardsAndCounters1795818973600,
  RoomRoles1795820013064,
  Reach1796131801813,
  Maintenance1796133554625,
  RecordIntegrity1796140000000,
  SessionIdle1796142267992,
  PublicStory1796143000000,
  UptimeRollups1796147251655,
  RateLimitTable1796149000000,
  Notifications1796153103215,
  IncidentOpenedIndex1796153503225,
  ServiceLevels1796154000000,
  IncidentNextDue1796165627582,
  IncidentMetricsSample1796181292358,
];
