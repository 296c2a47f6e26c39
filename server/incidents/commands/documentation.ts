import { authorName } from "../../auth";
import { TimelineKind } from "../../domain/vocabulary";
import type { Beacon, Principal } from "../../kernel/context";
import { runForIncident } from "../command-engine";
import { MAX_REFERENCE, text } from "./input";

// Documentation that closing a major incident asks for: the problem record and the review.

export function linkProblem(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reference: string,
) {
  const ref = text("reference", reference, MAX_REFERENCE);
  return runForIncident(beacon, principal, id, {
    command: "linkProblem",
    expectedVersion,
    apply: ({ incident }) => {
      if (incident.problemReference === ref) return null;
      incident.problemReference = ref;
      return {
        description: `Linked problem ${ref}`,
        timeline: { kind: TimelineKind.FIELD_CHANGE, data: { problemReference: ref } },
      };
    },
  });
}

export function completeReview(
  beacon: Beacon,
  principal: Principal,
  id: string,
  expectedVersion: number,
  review: { summary: string; rootCause: string; lessons: string },
) {
  const summary = text("summary", review.summary);
  const rootCause = text("rootCause", review.rootCause);
  const lessons = text("lessons", review.lessons);
  return runForIncident(beacon, principal, id, {
    command: "completeReview",
    expectedVersion,
    apply: ({ incident, now }) => {
      incident.review = {
        summary,
        rootCause,
        lessons,
        completedAt: now.toISOString(),
        authorName: authorName(principal),
      };
      return {
        description: "Completed the post-incident review",
        timeline: { kind: TimelineKind.FIELD_CHANGE, body: summary, data: { review: incident.review } },
      };
    },
  });
}
