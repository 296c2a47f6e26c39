// War room operations (signed in).
import { graphql, type ResultOf } from "../graphql";

export const INCIDENT_SUMMARY_FIELDS = graphql(`
  fragment IncidentSummaryFields on Incident {
    id number title priority major state version public
    services { id name slug status }
    owner { id name }
    queue { id name }
    assignee { id name }
    category { id parent { id } }
    createdAt updatedAt
    sla {
      acknowledge { dueAt targetSeconds elapsedSeconds paused pausedForSeconds pausedSince warned breached metAt }
      resolve { dueAt targetSeconds elapsedSeconds paused pausedForSeconds pausedSince warned breached metAt }
      nextDueAt nextPublicUpdateDueAt escalationLevel
    }
  }
`);

export const REVIEW_DOCUMENT_FIELDS = graphql(`
  fragment ReviewDocumentFields on ReviewDocumentType {
    summary timelineExcerpt rootCause wentWell wentBadly lessons publicPostmortem noActionItems
  }
`);

export const COMPLETED_REVIEW_FIELDS = graphql(`
  fragment CompletedReviewFields on IncidentReview {
    summary timelineExcerpt rootCause wentWell wentBadly lessons publicPostmortem noActionItems
    completedAt authorName
  }
`);

export const ACTION_ITEM_FIELDS = graphql(`
  fragment ActionItemFields on ReviewActionItem { id title done dueAt owner { id name } }
`);

export const ROOM_INCIDENT_FIELDS = graphql(
  `
  fragment RoomIncidentFields on Incident {
    ...IncidentSummaryFields
    description impact urgency publicStatus publicTitle holdReason resolutionCode resolutionNotes
    peakPriority problemReference
    closureRequirements { key label met detail }
    relatedTo { id number title }
    followUps { id number title state }
    category { id name path }
    requester { name email phone organization }
    requesterConfirmationUrl
    problem { id number title state workaround }
    knownErrors { id number title workaround }
    reviewDraft { ...ReviewDocumentFields }
    review { ...CompletedReviewFields }
    actionItems { ...ActionItemFields }
    roomRoles { role user { id name } }
    resolvedAt closedAt
  }
`,
  [INCIDENT_SUMMARY_FIELDS, REVIEW_DOCUMENT_FIELDS, COMPLETED_REVIEW_FIELDS, ACTION_ITEM_FIELDS],
);

export const TIMELINE_FIELDS = graphql(`
  fragment TimelineFields on TimelineEntry {
    id seq kind authorName body at data
    redaction { authorName at reason }
  }
`);

export const ME_QUERY = graphql(`
  query Me { me { id email name role } }
`);

/** Your own password; the server signs out your other sessions and keeps this one. */
export const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

/** The token is not asked for: the server sets it as an HttpOnly cookie the page cannot read. */
export const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { user { id email name role } }
  }
`);

/** Revokes the session and clears its cookie. */
export const LOGOUT = graphql(`
  mutation Logout { logout }
`);

export const SEQ_QUERY = graphql(`
  query CurrentSeq { statusSummary { seq } }
`);

export const INCIDENTS_QUERY = graphql(
  `
  query Incidents($filter: IncidentFilter, $first: Int, $after: String, $orderBy: IncidentOrder) {
    incidents(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...IncidentSummaryFields } }
    }
  }
`,
  [INCIDENT_SUMMARY_FIELDS],
);

export const INCIDENTS_CHANGED = graphql(
  `
  subscription IncidentsChanged($since: String) {
    incidentsChanged(since: $since) { seq at incident { ...IncidentSummaryFields } }
  }
`,
  [INCIDENT_SUMMARY_FIELDS],
);

// The pickers' catalog, one request per list: one refused list (e.g. users for a role that may not
// list them) must not take the others down.
export const CATALOG_SERVICES_QUERY = graphql(`
  query CatalogServices { services { id name slug group } }
`);

export const CATALOG_QUEUES_QUERY = graphql(`
  query CatalogQueues { queues { id name members { id name } manager { id name } } }
`);

export const CATALOG_USERS_QUERY = graphql(`
  query CatalogUsers { users { id name email role } }
`);

export const CATALOG_CATEGORIES_QUERY = graphql(`
  query CatalogCategories { categories { id name path children { id name path } } }
`);

/** Problem records an incident can still be linked to (not closed). */
export const CATALOG_PROBLEMS_QUERY = graphql(`
  query CatalogProblems {
    problems(states: [OPEN, KNOWN_ERROR, RESOLVED], first: 200) { id number title state }
  }
`);

export const ROOM_QUERY = graphql(
  `
  query Room($id: ID!) {
    incident(id: $id) { ...RoomIncidentFields timeline { ...TimelineFields } }
  }
`,
  [ROOM_INCIDENT_FIELDS, TIMELINE_FIELDS],
);

export const INCIDENT_ACTIVITY = graphql(
  `
  subscription IncidentActivity($incidentId: ID!, $since: String) {
    incidentActivity(incidentId: $incidentId, since: $since) {
      seq at
      incident { ...RoomIncidentFields }
      entry { ...TimelineFields }
    }
  }
`,
  [ROOM_INCIDENT_FIELDS, TIMELINE_FIELDS],
);

export const HISTORY_QUERY = graphql(`
  query IncidentHistory($id: ID!) {
    incident(id: $id) { id version history { version authorName description at changes hash } }
  }
`);

export const VERIFY_HISTORY = graphql(`
  query VerifyIncidentHistory($id: ID!) {
    verifyIncidentHistory(id: $id) { ok checked firstBrokenVersion message }
  }
`);

export const ROOM_PRESENCE = graphql(`
  subscription RoomPresence($incidentId: ID!) {
    roomPresence(incidentId: $incidentId) { userId name typing lastSeenAt }
  }
`);

export const HEARTBEAT = graphql(`
  mutation Heartbeat($incidentId: ID!, $typing: Boolean) { heartbeat(incidentId: $incidentId, typing: $typing) }
`);

/** Known errors recorded for incidents on any of these services (shown while opening an incident). */
export const KNOWN_ERRORS_QUERY = graphql(`
  query KnownErrors($serviceIds: [ID!]!) { knownErrors(serviceIds: $serviceIds) { id number title workaround } }
`);

export const OPEN_INCIDENT = graphql(
  `
  mutation OpenIncident($input: OpenIncidentInput!) {
    openIncident(input: $input) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const OPEN_FOLLOW_UP = graphql(
  `
  mutation OpenFollowUpIncident($previousId: ID!, $input: OpenIncidentInput!) {
    openFollowUpIncident(previousId: $previousId, input: $input) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const UPDATE_INCIDENT = graphql(
  `
  mutation UpdateIncident($id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!) {
    updateIncident(id: $id, expectedVersion: $expectedVersion, input: $input) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const ASSIGN_INCIDENT = graphql(
  `
  mutation AssignIncident($id: ID!, $expectedVersion: Int!, $queueId: ID!, $assigneeId: ID) {
    assignIncident(id: $id, expectedVersion: $expectedVersion, queueId: $queueId, assigneeId: $assigneeId) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const ACKNOWLEDGE_INCIDENT = graphql(
  `
  mutation AcknowledgeIncident($id: ID!, $expectedVersion: Int!) {
    acknowledgeIncident(id: $id, expectedVersion: $expectedVersion) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const START_WORK = graphql(
  `
  mutation StartWork($id: ID!, $expectedVersion: Int!) {
    startWork(id: $id, expectedVersion: $expectedVersion) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const RETURN_TO_HELP_DESK = graphql(
  `
  mutation ReturnToHelpDesk($id: ID!, $expectedVersion: Int!, $reason: String!) {
    returnToHelpDesk(id: $id, expectedVersion: $expectedVersion, reason: $reason) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const HOLD_INCIDENT = graphql(
  `
  mutation HoldIncident($id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!) {
    holdIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason, note: $note) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const RESUME_INCIDENT = graphql(
  `
  mutation ResumeIncident($id: ID!, $expectedVersion: Int!) {
    resumeIncident(id: $id, expectedVersion: $expectedVersion) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const RESOLVE_INCIDENT = graphql(
  `
  mutation ResolveIncident($id: ID!, $expectedVersion: Int!, $code: ResolutionCode!, $notes: String!, $categoryId: ID, $publicMessage: String, $restoreServices: Boolean) {
    resolveIncident(id: $id, expectedVersion: $expectedVersion, code: $code, notes: $notes, categoryId: $categoryId, publicMessage: $publicMessage, restoreServices: $restoreServices) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const REOPEN_INCIDENT = graphql(
  `
  mutation ReopenResolvedIncident($id: ID!, $expectedVersion: Int!, $reason: String!) {
    reopenResolvedIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const CONFIRM_RESOLUTION = graphql(
  `
  mutation ConfirmResolution($id: ID!, $expectedVersion: Int!, $note: String) {
    confirmResolution(id: $id, expectedVersion: $expectedVersion, note: $note) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const CLOSE_INCIDENT = graphql(
  `
  mutation CloseIncident($id: ID!, $expectedVersion: Int!) {
    closeIncident(id: $id, expectedVersion: $expectedVersion) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const CANCEL_INCIDENT = graphql(
  `
  mutation CancelIncident($id: ID!, $expectedVersion: Int!, $reason: String!) {
    cancelIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const LINK_PROBLEM = graphql(
  `
  mutation LinkProblem($id: ID!, $expectedVersion: Int!, $reference: String!) {
    linkProblem(id: $id, expectedVersion: $expectedVersion, reference: $reference) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const LINK_INCIDENT_TO_PROBLEM = graphql(
  `
  mutation LinkIncidentToProblem($id: ID!, $expectedVersion: Int!, $problemId: ID!) {
    linkIncidentToProblem(incidentId: $id, expectedVersion: $expectedVersion, problemId: $problemId) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const DRAFT_REVIEW = graphql(
  `
  mutation DraftReview($id: ID!, $expectedVersion: Int!, $input: ReviewDraftInput!) {
    draftReview(id: $id, expectedVersion: $expectedVersion, input: $input) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
export const COMPLETE_REVIEW = graphql(
  `
  mutation CompleteReview(
    $id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!,
    $timelineExcerpt: String, $wentWell: String, $wentBadly: String, $publicPostmortem: String,
    $noActionItems: Boolean
  ) {
    completeReview(
      id: $id, expectedVersion: $expectedVersion, summary: $summary, rootCause: $rootCause, lessons: $lessons,
      timelineExcerpt: $timelineExcerpt, wentWell: $wentWell, wentBadly: $wentBadly,
      publicPostmortem: $publicPostmortem, noActionItems: $noActionItems
    ) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);
/** The review's timeline excerpt as drafted from the incident's own timeline (asked for when needed). */
export const SUGGESTED_EXCERPT = graphql(`
  query SuggestedTimelineExcerpt($id: ID!) { incident(id: $id) { id suggestedTimelineExcerpt } }
`);
export const ADD_ACTION_ITEM = graphql(
  `
  mutation AddReviewActionItem($incidentId: ID!, $title: String!, $ownerId: ID, $dueAt: DateTime) {
    addReviewActionItem(incidentId: $incidentId, title: $title, ownerId: $ownerId, dueAt: $dueAt) { ...ActionItemFields }
  }
`,
  [ACTION_ITEM_FIELDS],
);
export const SET_ACTION_ITEM_DONE = graphql(
  `
  mutation SetReviewActionItemDone($id: ID!, $done: Boolean!) {
    setReviewActionItemDone(id: $id, done: $done) { ...ActionItemFields }
  }
`,
  [ACTION_ITEM_FIELDS],
);
export const REDACT_TIMELINE_ENTRY = graphql(
  `
  mutation RedactTimelineEntry($id: ID!, $reason: String!) {
    redactTimelineEntry(id: $id, reason: $reason) { ...TimelineFields }
  }
`,
  [TIMELINE_FIELDS],
);
export const ASSIGN_ROOM_ROLE = graphql(
  `
  mutation AssignRoomRole($incidentId: ID!, $role: RoomRole!, $userId: ID, $expectedVersion: Int!) {
    assignRoomRole(incidentId: $incidentId, role: $role, userId: $userId, expectedVersion: $expectedVersion) { ...RoomIncidentFields }
  }
`,
  [ROOM_INCIDENT_FIELDS],
);

export const ADD_NOTE = graphql(
  `
  mutation AddNote($incidentId: ID!, $body: String!) { addNote(incidentId: $incidentId, body: $body) { ...TimelineFields } }
`,
  [TIMELINE_FIELDS],
);

export const LOG_CONTACT_ATTEMPT = graphql(
  `
  mutation LogContactAttempt($incidentId: ID!, $method: ContactMethod!, $reached: Boolean!, $at: DateTime, $note: String) {
    logContactAttempt(incidentId: $incidentId, method: $method, reached: $reached, at: $at, note: $note) { ...TimelineFields }
  }
`,
  [TIMELINE_FIELDS],
);

export const POST_PUBLIC_UPDATE = graphql(`
  mutation PostPublicUpdate($incidentId: ID!, $status: PublicStatus!, $message: String!, $nextUpdateBy: DateTime) {
    postPublicUpdate(incidentId: $incidentId, status: $status, message: $message, nextUpdateBy: $nextUpdateBy) { id status message at nextUpdateBy }
  }
`);

// The shapes the war room works with, as the documents above select them.
export type IncidentSummary = ResultOf<typeof INCIDENT_SUMMARY_FIELDS>;
/** The incident as the room shows it. */
export type Incident = ResultOf<typeof ROOM_INCIDENT_FIELDS>;
export type TimelineEntry = ResultOf<typeof TIMELINE_FIELDS>;
export type ActionItem = ResultOf<typeof ACTION_ITEM_FIELDS>;
export type ReviewDocument = ResultOf<typeof REVIEW_DOCUMENT_FIELDS>;
/** A live event of one incident's room. */
export type IncidentEvent = ResultOf<typeof INCIDENT_ACTIVITY>["incidentActivity"];
/** A live event of the incident list (the incident as the list shows it). */
export type IncidentListEvent = ResultOf<typeof INCIDENTS_CHANGED>["incidentsChanged"];
export type User = NonNullable<ResultOf<typeof ME_QUERY>["me"]>;
export type ChangeRecord = NonNullable<ResultOf<typeof HISTORY_QUERY>["incident"]>["history"][number];
export type HistoryVerification = ResultOf<typeof VERIFY_HISTORY>["verifyIncidentHistory"];
export type PresenceEntry = ResultOf<typeof ROOM_PRESENCE>["roomPresence"][number];
export type PublicUpdate = ResultOf<typeof POST_PUBLIC_UPDATE>["postPublicUpdate"];
export type ClosureRequirement = Incident["closureRequirements"][number];
