import type { EntityManager } from "typeorm";
import { type SlaPolicyValues, validatePolicy } from "../domain/sla";
import { type Author, canonicalJson, type FieldChanges, recordCommand } from "../history";
import { stableJobId } from "../jobs";
import type { Beacon } from "../kernel/context";
import { BeaconError } from "../kernel/errors";
import { SlaPolicy } from "./sla-policy.entity";

/** Outbox kind for policy changes (internal: never on the public stream). */
export const SLA_POLICY_CHANGED = "SLA_POLICY_CHANGED";

/** The change history's subject id of a priority's policy (change_record.subject_id is a uuid). */
export const policySubjectId = (priority: string) => stableJobId("sla_policy", priority);

export function listSlaPolicies(m: EntityManager): Promise<SlaPolicy[]> {
  return m.find(SlaPolicy, { order: { priority: "ASC" } });
}

const FIELDS = [
  "acknowledgeMinutes",
  "resolveMinutes",
  "businessHours",
  "publicUpdateEveryMinutes",
  "autoClose",
] as const;

/**
 * Sets a priority's policy (admin). Refuses minutes <= 0 or over a year naming the field. The change
 * is documented (change record, subject "sla_policy", hash-chained like every other) and applies to
 * incidents opened or re-prioritised afterwards; open incidents keep the targets they were given.
 */
export async function setSlaPolicy(
  beacon: Beacon,
  author: Author,
  input: SlaPolicyValues,
): Promise<SlaPolicy> {
  const values: SlaPolicyValues = {
    ...input,
    publicUpdateEveryMinutes: input.publicUpdateEveryMinutes ?? null,
  };
  const problem = validatePolicy(values);
  if (problem) throw new BeaconError(problem.code, problem.message, { field: problem.field });
  return beacon.db.transaction(async (m) => {
    const row = await m.findOne(SlaPolicy, {
      where: { priority: values.priority },
      lock: { mode: "pessimistic_write" },
    });
    if (!row) throw new Error(`no SLA policy row for ${values.priority}`);
    const changes: FieldChanges = {};
    for (const f of FIELDS) {
      if (canonicalJson(row[f]) !== canonicalJson(values[f])) changes[f] = { from: row[f], to: values[f] };
    }
    if (Object.keys(changes).length === 0) return row;
    const now = beacon.clock.now();
    Object.assign(row, {
      acknowledgeMinutes: values.acknowledgeMinutes,
      resolveMinutes: values.resolveMinutes,
      businessHours: values.businessHours,
      publicUpdateEveryMinutes: values.publicUpdateEveryMinutes,
      autoClose: values.autoClose,
      updatedAt: now,
    });
    // The seeded default has no record; the first change is v1 of the history.
    row.version += 1;
    await m.save(row);
    const words = Object.entries(changes)
      .map(([f, c]) => `${f} ${String(c.from)} -> ${String(c.to)}`)
      .join(", ");
    await recordCommand(
      m,
      author,
      {
        subjectType: "sla_policy",
        subjectId: policySubjectId(row.priority),
        version: row.version,
        description: `SLA policy ${row.priority}: ${words} (applies to incidents opened afterwards)`,
        at: now,
        changes,
      },
      {
        kind: SLA_POLICY_CHANGED,
        at: now,
        isPublic: false,
        payload: { priority: row.priority, version: row.version },
      },
    );
    return row;
  });
}
