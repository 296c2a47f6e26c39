import type { EntityManager } from "typeorm";
import { actorOf } from "../auth";
import { authorize } from "../domain/permissions";
import { decideProblemTransition, problemNumber } from "../domain/problem";
import { requireText } from "../domain/text";
import { ProblemState } from "../domain/vocabulary";
import { nextCounter } from "../events";
import { canonicalJson, checkVersion, type FieldChanges, recordCommand } from "../history";
import { Incident } from "../incidents/incident.entity";
import type { Beacon, Principal } from "../kernel/context";
import { badInput, isUuid, orThrow } from "../kernel/errors";
import { lockById } from "../kernel/lock";
import { Problem } from "./problem.entity";

export const MAX_PROBLEM_TITLE = 200;
export const MAX_PROBLEM_TEXT = 10_000;
/** Outbox kind for problem changes (internal: never on the public stream). */
export const PROBLEM_CHANGED = "PROBLEM_CHANGED";

const text = (field: string, value: string | null | undefined, max = MAX_PROBLEM_TEXT) =>
  orThrow(requireText(field, value, max), { field });

export async function findProblem(m: EntityManager, id: string): Promise<Problem | null> {
  return isUuid(id) ? m.findOne(Problem, { where: { id } }) : null;
}

/** By id or by number ("PRB-000001"), for links typed by people. */
export async function findProblemByRef(m: EntityManager, ref: string): Promise<Problem | null> {
  const number = /^PRB-?0*(\d{1,9})$/i.exec(ref.trim());
  if (number) return m.findOne(Problem, { where: { seqNumber: Number(number[1]) } });
  return findProblem(m, ref);
}

export function listProblems(m: EntityManager, states: ProblemState[] | null | undefined, first: number) {
  if (!Number.isInteger(first) || first < 1 || first > 200)
    throw badInput("first", "first must be between 1 and 200.");
  const q = m.getRepository(Problem).createQueryBuilder("p");
  if (states?.length) q.where("p.state IN (:...states)", { states });
  return q.orderBy("p.seq_number", "DESC").take(first).getMany();
}

export function incidentsOf(m: EntityManager, problemId: string): Promise<Incident[]> {
  return m.find(Incident, { where: { problemId }, order: { seqNumber: "ASC" } });
}

/** Known errors (with their workaround) recorded for any incident on one of these services. */
export async function knownErrorsFor(m: EntityManager, serviceIds: readonly string[]): Promise<Problem[]> {
  const ids = serviceIds.filter(isUuid);
  if (ids.length === 0) return [];
  return m
    .getRepository(Problem)
    .createQueryBuilder("p")
    .where("p.state = :state", { state: ProblemState.KNOWN_ERROR })
    .andWhere(
      `EXISTS (SELECT 1 FROM incident i JOIN incident_service s ON s.incident_id = i.id
               WHERE i.problem_id = p.id AND s.service_id IN (:...ids))`,
      { ids },
    )
    .orderBy("p.seq_number", "ASC")
    .getMany();
}

function snapshot(p: Problem): Record<string, unknown> {
  return {
    title: p.title,
    description: p.description,
    state: p.state,
    rootCause: p.rootCause,
    workaround: p.workaround,
  };
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field] ?? null;
    if (canonicalJson(from) !== canonicalJson(to ?? null)) changes[field] = { from, to: to ?? null };
  }
  return changes;
}

/** Change record + outbox event for one accepted problem command (inside its transaction). */
async function document(
  m: EntityManager,
  principal: Principal,
  p: Problem,
  before: Record<string, unknown>,
  description: string,
  now: Date,
) {
  await recordCommand(
    m,
    principal,
    {
      subjectType: "problem",
      subjectId: p.id,
      version: p.version,
      description,
      at: now,
      changes: diff(before, snapshot(p)),
    },
    { kind: PROBLEM_CHANGED, at: now, isPublic: false, payload: { problemId: p.id, version: p.version } },
  );
}

export function createProblem(beacon: Beacon, principal: Principal, title: string, description: string) {
  const t = text("title", title, MAX_PROBLEM_TITLE);
  const d = text("description", description);
  return beacon.db.transaction(async (m) => {
    const now = beacon.clock.now();
    const p = await m.save(
      m.create(Problem, {
        seqNumber: Number(await nextCounter(m, "problem_number")),
        title: t,
        description: d,
        state: ProblemState.OPEN,
        rootCause: null,
        workaround: null,
        version: 1,
        createdById: principal.user.id,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await document(m, principal, p, {}, `Opened ${problemNumber(p.seqNumber)} "${t}"`, now);
    return p;
  });
}

export interface ProblemEdit {
  state?: ProblemState | null;
  rootCause?: string | null;
  workaround?: string | null;
}

/**
 * Records root cause and workaround and/or moves the state, in one versioned change. The new
 * state is judged on what the problem records after this edit, so "known error with this
 * workaround" is one call.
 */
export function updateProblem(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  edit: ProblemEdit,
) {
  const rootCause = edit.rootCause == null ? null : text("rootCause", edit.rootCause);
  const workaround = edit.workaround == null ? null : text("workaround", edit.workaround);
  return beacon.db.transaction(async (m) => {
    const p = await lockById(m, Problem, id, "problem");
    const ref = problemNumber(p.seqNumber);
    checkVersion(
      p.version,
      expectedVersion,
      (current, expected) =>
        `${ref} was changed by someone else meanwhile: it is at version ${current}, you sent expectedVersion ${expected}. ` +
        `Reload it, check the change, and retry with expectedVersion ${current}.`,
    );
    const to = edit.state ?? p.state;
    orThrow(
      authorize(
        actorOf(principal),
        to === ProblemState.CLOSED && p.state !== to ? "closeProblem" : "updateProblem",
      ),
    );
    if (p.state === ProblemState.CLOSED) orThrow(decideProblemTransition(p, ProblemState.OPEN, ref));
    const before = snapshot(p);
    if (rootCause !== null) p.rootCause = rootCause;
    if (workaround !== null) p.workaround = workaround;
    p.state = orThrow(decideProblemTransition({ ...p, state: p.state }, to, ref));
    const changes = diff(before, snapshot(p));
    if (Object.keys(changes).length === 0) return p;
    const now = beacon.clock.now();
    p.version += 1;
    p.updatedAt = now;
    await m.save(p);
    const words = Object.keys(changes).map((f) =>
      f === "state" ? `state ${before.state} -> ${p.state}` : f,
    );
    await document(m, principal, p, before, `Updated ${words.join(", ")}`, now);
    return p;
  });
}
