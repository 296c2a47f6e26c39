import type { EntityManager } from "typeorm";
import { ErrorCode, IncidentState, TimelineKind } from "../../domain/vocabulary";
import type { Beacon } from "../../kernel/context";
import { BeaconError } from "../../kernel/errors";
import { type SignedClaims, signingKey, signToken, verifyToken } from "../../kernel/signed-token";
import { runForIncident } from "../command-engine";
import type { Incident } from "../incident.entity";
import { findIncident, incidentNumber } from "../incident.queries";
import { optionalText } from "./input";

// The requester confirms "yes, it is resolved for me" through a signed link, without an account.
// The link names one incident and one resolution (its resolvedAt): after a reopen and a new
// resolve, an old link no longer confirms anything. It is mailed to the requester when the
// incident is resolved (a job enqueued in the resolve's own transaction: no mail for a refused or
// rolled-back resolve) and shown to staff on the incident, to send by other means.

const PURPOSE = "requester-confirm";
const MAIL_JOB = "incident.requester-confirmation-mail";
/** How long a link works: long enough for a requester back from holiday, not forever. */
export const REQUESTER_LINK_DAYS = 30;

interface RequesterClaims extends SignedClaims {
  p: typeof PURPOSE;
  /** The resolution it confirms: resolvedAt, epoch milliseconds. */
  r: number;
}

const keys = new WeakMap<Beacon, Promise<Buffer>>();
function keyOf(beacon: Beacon): Promise<Buffer> {
  let key = keys.get(beacon);
  if (!key) {
    key = signingKey(beacon.db, "requester-links");
    // A failed read (database down) must not be cached: the next call tries again.
    key.catch(() => keys.delete(beacon));
    keys.set(beacon, key);
  }
  return key;
}

/** Whether the incident waits for its requester's confirmation (and so has a link to offer). */
const awaitsRequester = (i: Incident) =>
  i.state === IncidentState.RESOLVED &&
  i.resolvedAt !== null &&
  i.requester !== null &&
  !i.customerConfirmedAt;

/** The link for the incident's current resolution, or null when there is nothing to confirm. */
export async function requesterConfirmationUrl(beacon: Beacon, incident: Incident): Promise<string | null> {
  if (!awaitsRequester(incident) || !incident.resolvedAt) return null;
  const resolvedAt = incident.resolvedAt.getTime();
  const token = signToken<RequesterClaims>(await keyOf(beacon), {
    s: incident.id,
    p: PURPOSE,
    r: resolvedAt,
    e: Math.floor(resolvedAt / 1000) + REQUESTER_LINK_DAYS * 86_400,
  });
  return `${beacon.config.publicUrl}/incidents/confirm-resolution?token=${encodeURIComponent(token)}`;
}

const invalidLink = () =>
  new BeaconError(
    ErrorCode.BAD_USER_INPUT,
    "This confirmation link is not valid or has expired. Reply to the mail you received, or ask the team for a new link.",
    { field: "token" },
  );

async function claimsOf(beacon: Beacon, token: string): Promise<RequesterClaims> {
  const claims =
    typeof token === "string" && token.length <= 2000
      ? verifyToken<RequesterClaims>(await keyOf(beacon), token, PURPOSE, beacon.clock.now())
      : null;
  if (!claims || typeof claims.r !== "number") throw invalidLink();
  return claims;
}

export interface RequesterConfirmation {
  /** "INC-000042". */
  number: string;
  title: string;
  requesterName: string;
  /** Already confirmed (by this link or by staff). */
  confirmed: boolean;
}

/** What the confirmation page shows before the requester presses the button (changes nothing). */
export async function requesterConfirmationOf(beacon: Beacon, token: string): Promise<RequesterConfirmation> {
  const claims = await claimsOf(beacon, token);
  const incident = await findIncident(beacon.db.manager, claims.s);
  if (!incident?.requester) throw invalidLink();
  return {
    number: incidentNumber(incident.seqNumber),
    title: incident.title,
    requesterName: incident.requester.name,
    confirmed: incident.customerConfirmedAt !== null && incident.resolvedAt?.getTime() === claims.r,
  };
}

/**
 * Records the requester's own confirmation: the same command as staff's confirmResolution, with
 * the requester as its author. Pressing twice is fine (the second changes nothing); a link for an
 * earlier resolution, or an incident that was reopened or closed meanwhile, is refused in words.
 */
export async function confirmResolutionAsRequester(
  beacon: Beacon,
  token: string,
  note: string | null | undefined,
): Promise<Incident> {
  const claims = await claimsOf(beacon, token);
  const body = optionalText("note", note);
  const incident = await findIncident(beacon.db.manager, claims.s);
  if (!incident?.requester) throw invalidLink();
  const author = { system: true as const, name: `${incident.requester.name} (requester, by link)` };
  return runForIncident(beacon, author, incident.id, {
    command: "confirmResolution",
    expectedVersion: null,
    versioned: true,
    apply: ({ incident: locked, now }) => {
      if (locked.resolvedAt?.getTime() !== claims.r) {
        throw new BeaconError(
          ErrorCode.INVALID_TRANSITION,
          `${incidentNumber(locked.seqNumber)} is no longer in the resolution this link was sent for; ` +
            "the team will send a new link when it is resolved again.",
        );
      }
      if (locked.customerConfirmedAt) return null;
      locked.customerConfirmedAt = now;
      return {
        description: "Requester confirmed the resolution (signed link)",
        timeline: { kind: TimelineKind.CUSTOMER_CONFIRMATION, body, data: { viaLink: true } },
      };
    },
  });
}

/** Called inside the resolve's transaction: the mail job exists only if the resolve commits. */
export async function scheduleRequesterMail(beacon: Beacon, m: EntityManager, incident: Incident) {
  if (!incident.requester?.email || !incident.resolvedAt) return;
  await beacon.jobs.send(
    MAIL_JOB,
    { incidentId: incident.id, resolvedAt: incident.resolvedAt.getTime() },
    { manager: m },
  );
}

/** The mail job: re-reads the incident and mails only if that resolution still awaits the requester. */
export function defineRequesterJobs(beacon: Beacon): void {
  beacon.jobs.define<{ incidentId: string; resolvedAt: number }>({
    name: MAIL_JOB,
    retryLimit: 5,
    handler: async ({ incidentId, resolvedAt }) => {
      const incident = await findIncident(beacon.db.manager, incidentId);
      if (!incident?.requester?.email || incident.resolvedAt?.getTime() !== resolvedAt) return;
      const url = await requesterConfirmationUrl(beacon, incident);
      if (!url) return;
      const number = incidentNumber(incident.seqNumber);
      await beacon.mailer.send({
        to: incident.requester.email,
        subject: `${number} is resolved — please confirm`,
        text:
          `Hello ${incident.requester.name},\n\n` +
          `The incident you reported, ${number} "${incident.title}", has been resolved:\n\n` +
          `${incident.resolutionNotes ?? ""}\n\n` +
          `If it works for you again, please confirm here (the link works for ${REQUESTER_LINK_DAYS} days):\n${url}\n\n` +
          "If it does not, reply to this mail and tell us what you still see.\n",
      });
    },
  });
}
