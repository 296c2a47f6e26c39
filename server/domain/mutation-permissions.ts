import type { Action } from "./permissions";

/**
 * Every Mutation of the schema and the permission (a row of PERMISSION_TABLE) it needs. A unit test
 * (test/unit/domain/mutation-permissions.test.ts) fails when a Mutation of the emitted schema is
 * missing here, or this names one that does not exist: a new mutation cannot ship without deciding
 * who may call it. docs/permissions.md shows this table (renderMutationTable).
 *
 * - `anyone`: no sign-in, by design (signing in; email subscriptions and the requester's
 *   confirmation, each proven by a signed token).
 * - `signedIn`: any signed-in person, for their own session, password or notifications.
 * - `also`: a further permission some calls need, and when.
 */
export interface MutationRule {
  needs: Action | "anyone" | "signedIn";
  also?: readonly { action: Action; when: string }[];
}

const PUBLISH_WHEN_PUBLIC = [{ action: "publish", when: "with `public: true`" }] as const;

export const MUTATION_PERMISSIONS: Readonly<Record<string, MutationRule>> = {
  // Signing in and one's own account.
  login: { needs: "anyone" },
  logout: { needs: "signedIn" },
  changePassword: { needs: "signedIn" },
  // One's own notifications (the bell) and channels.
  markNotificationsRead: { needs: "signedIn" },
  setNotificationPreferences: { needs: "signedIn" },
  // People, keys, catalog (admin).
  createUser: { needs: "createUser" },
  updateUser: { needs: "createUser" },
  setUserPassword: { needs: "createUser" },
  createApiKey: { needs: "manageApiKeys" },
  revokeApiKey: { needs: "manageApiKeys" },
  createService: { needs: "createService" },
  updateService: { needs: "updateService" },
  createCategory: { needs: "createCategory" },
  setSlaPolicy: { needs: "manageSlaPolicies" },
  setServiceStatus: { needs: "setServiceStatus" },
  createQueue: { needs: "createQueue" },
  addQueueMember: { needs: "createQueue" },
  removeQueueMember: { needs: "createQueue" },
  setQueueManager: { needs: "createQueue" },
  // Incidents.
  openIncident: { needs: "openIncident", also: PUBLISH_WHEN_PUBLIC },
  openFollowUpIncident: { needs: "openFollowUp", also: PUBLISH_WHEN_PUBLIC },
  updateIncident: {
    needs: "update",
    also: [
      { action: "publish", when: "changing `public`, or the title of a public incident" },
      { action: "lowerSeverity", when: "lowering impact or urgency after work started" },
    ],
  },
  assignIncident: { needs: "assign" },
  acknowledgeIncident: { needs: "acknowledge" },
  startWork: { needs: "startWork" },
  returnToHelpDesk: { needs: "returnToHelpDesk" },
  holdIncident: { needs: "hold" },
  resumeIncident: { needs: "resume" },
  resolveIncident: { needs: "resolve" },
  reopenResolvedIncident: { needs: "reopen" },
  confirmResolution: { needs: "confirmResolution" },
  // The requester's own confirmation, with the signed token from their link.
  confirmResolutionAsRequester: { needs: "anyone" },
  closeIncident: { needs: "close" },
  cancelIncident: { needs: "cancel" },
  addNote: { needs: "addNote" },
  logContactAttempt: { needs: "logContactAttempt" },
  postPublicUpdate: { needs: "publish" },
  assignRoomRole: { needs: "assignRoomRole" },
  heartbeat: { needs: "heartbeat" },
  redactTimelineEntry: { needs: "redactTimelineEntry" },
  // Problems and reviews.
  linkProblem: { needs: "linkProblem" },
  linkIncidentToProblem: { needs: "linkProblem" },
  createProblem: { needs: "createProblem" },
  updateProblem: {
    needs: "updateProblem",
    also: [{ action: "closeProblem", when: "moving it to CLOSED" }],
  },
  draftReview: { needs: "draftReview" },
  addReviewActionItem: { needs: "draftReview" },
  completeReview: { needs: "completeReview" },
  setReviewActionItemDone: { needs: "setActionItemDone" },
  // Maintenance.
  scheduleMaintenance: { needs: "scheduleMaintenance" },
  updateMaintenance: { needs: "manageMaintenance" },
  startMaintenance: { needs: "manageMaintenance" },
  completeMaintenance: { needs: "manageMaintenance" },
  cancelMaintenance: { needs: "manageMaintenance" },
  postMaintenanceUpdate: { needs: "manageMaintenance" },
  // Reach.
  subscribe: {
    needs: "anyone",
    also: [{ action: "manageSubscriptions", when: "registering a webhook endpoint (email is public)" }],
  },
  confirmSubscription: { needs: "anyone" },
  unsubscribe: { needs: "anyone" },
  removeUpdateSubscription: { needs: "manageSubscriptions" },
  sendTestWebhook: { needs: "manageSubscriptions" },
  retryWebhookDelivery: { needs: "manageSubscriptions" },
  resumeWebhookEndpoint: { needs: "manageSubscriptions" },
};

/** The mutation table as Markdown, for docs/permissions.md (a test keeps them equal). */
export function renderMutationTable(): string {
  const lines = ["| mutation | needs | and also |", "| --- | --- | --- |"];
  const word = (needs: MutationRule["needs"]) =>
    needs === "anyone"
      ? "anyone (no sign-in)"
      : needs === "signedIn"
        ? "any signed-in person"
        : `\`${needs}\``;
  for (const [name, rule] of Object.entries(MUTATION_PERMISSIONS).sort(([a], [b]) => a.localeCompare(b))) {
    const also = (rule.also ?? []).map((a) => `\`${a.action}\` ${a.when}`).join("; ");
    lines.push(`| \`${name}\` | ${word(rule.needs)} | ${also} |`);
  }
  return `${lines.join("\n")}\n`;
}
