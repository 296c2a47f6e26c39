import { useNow } from "../shared/hooks";
import { StatusLabel } from "../shared/StatusIcon";
import { cadenceNoteView, type SlaClockData, slaClockView } from "./sla-state";

export interface SlaData {
  acknowledge: SlaClockData;
  resolve: SlaClockData;
  nextPublicUpdateDueAt: string | null;
  escalationLevel: number;
}

const LABELS = { acknowledge: "Acknowledge", resolve: "Resolve" } as const;

/** One clock: its name, a live countdown and its colour. */
export function SlaClockTag({
  name,
  clock,
  compact,
}: {
  name: keyof typeof LABELS;
  clock: SlaClockData;
  compact?: boolean;
}) {
  const now = useNow("second");
  const v = slaClockView(clock, now);
  return (
    <span className="sla-clock" data-testid={`sla-${name}`} data-phase={v.phase}>
      <StatusLabel tone={v.tone}>{`${compact ? `${LABELS[name][0]}:` : LABELS[name]} ${v.text}`}</StatusLabel>
    </span>
  );
}

/** Both clocks (the acknowledge one only until it is met, in the list). */
export function SlaClocks({ sla, compact }: { sla: SlaData; compact?: boolean }) {
  return (
    <span className="sla-clocks">
      {!(compact && sla.acknowledge.metAt) && (
        <SlaClockTag name="acknowledge" clock={sla.acknowledge} compact={compact} />
      )}
      <SlaClockTag name="resolve" clock={sla.resolve} compact={compact} />
    </span>
  );
}

/**
 * "Next public update due in …" for whoever posts it (`mine`); for everyone else only "overdue",
 * naming whose it is (`ownerName`; `ownerTitle` on hover).
 */
export function CadenceNote({
  sla,
  mine,
  ownerName,
  ownerTitle,
  testId = "sla-cadence",
}: {
  sla: SlaData;
  mine: boolean;
  ownerName: string;
  ownerTitle: string;
  testId?: string;
}) {
  const now = useNow("second");
  const v = cadenceNoteView(sla.nextPublicUpdateDueAt, now, { mine, ownerName });
  if (!v) return null;
  return (
    <span
      className={`sla-cadence${v.mine ? " is-mine" : ""}`}
      data-testid={testId}
      data-overdue={v.overdue ? "true" : "false"}
      data-mine={v.mine ? "true" : "false"}
      title={ownerTitle}
    >
      <StatusLabel tone={v.tone}>{v.text}</StatusLabel>
    </span>
  );
}
