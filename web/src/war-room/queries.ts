// War room operations (signed in).

const USER_REF = "id name";

export const INCIDENT_SUMMARY_FIELDS = /* GraphQL */ `
  fragment IncidentSummaryFields on Incident {
    id number title priority major state version public
    services { id name slug }
    owner { ${USER_REF} }
    queue { id name }
    assignee { ${USER_REF} }
    createdAt updatedAt
  }
`;

export const ROOM_INCIDENT_FIELDS = /* GraphQL */ `
  fragment RoomIncidentFields on Incident {
    ...IncidentSummaryFields
    description impact urgency publicStatus holdReason resolutionCode resolutionNotes
    relatedTo { id number title }
    roomRoles { role user { ${USER_REF} } }
    resolvedAt closedAt
  }
  ${INCIDENT_SUMMARY_FIELDS}
`;

export const TIMELINE_FIELDS = /* GraphQL */ `
  fragment TimelineFields on TimelineEntry { id seq kind authorName body at data }
`;

export const ME_QUERY = /* GraphQL */ `
  query Me { me { id email name role } }
`;

/** Your own password; the server signs out your other sessions and keeps this one. */
export const CHANGE_PASSWORD = /* GraphQL */ `
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token user { id email name role } }
  }
`;

export const SEQ_QUERY = /* GraphQL */ `
  query CurrentSeq { statusSummary { seq } }
`;

export const INCIDENTS_QUERY = /* GraphQL */ `
  query Incidents($filter: IncidentFilter, $first: Int, $after: String) {
    incidents(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...IncidentSummaryFields } }
    }
  }
  ${INCIDENT_SUMMARY_FIELDS}
`;

export const INCIDENTS_CHANGED = /* GraphQL */ `
  subscription IncidentsChanged($since: String) {
    incidentsChanged(since: $since) { seq at incident { ...IncidentSummaryFields } }
  }
  ${INCIDENT_SUMMARY_FIELDS}
`;

export const CATALOG_QUERY = /* GraphQL */ `
  query Catalog {
    services { id name slug group }
    queues { id name members { ${USER_REF} } }
    users { id name email role }
  }
`;

export const ROOM_QUERY = /* GraphQL */ `
  query Room($id: ID!) {
    incident(id: $id) { ...RoomIncidentFields timeline { ...TimelineFields } }
  }
  ${ROOM_INCIDENT_FIELDS}
  ${TIMELINE_FIELDS}
`;

export const INCIDENT_ACTIVITY = /* GraphQL */ `
  subscription IncidentActivity($incidentId: ID!, $since: String) {
    incidentActivity(incidentId: $incidentId, since: $since) {
      seq at
      incident { ...RoomIncidentFields }
      entry { ...TimelineFields }
    }
  }
  ${ROOM_INCIDENT_FIELDS}
  ${TIMELINE_FIELDS}
`;

export const HISTORY_QUERY = /* GraphQL */ `
  query IncidentHistory($id: ID!) {
    incident(id: $id) { id version history { version authorName description at changes hash } }
  }
`;

export const VERIFY_HISTORY = /* GraphQL */ `
  query VerifyIncidentHistory($id: ID!) {
    verifyIncidentHistory(id: $id) { ok checked firstBrokenVersion message }
  }
`;

export const ROOM_PRESENCE = /* GraphQL */ `
  subscription RoomPresence($incidentId: ID!) {
    roomPresence(incidentId: $incidentId) { userId name typing lastSeenAt }
  }
`;

export const HEARTBEAT = /* GraphQL */ `
  mutation Heartbeat($incidentId: ID!, $typing: Boolean) { heartbeat(incidentId: $incidentId, typing: $typing) }
`;

const returnsIncident = (signature: string, call: string) => /* GraphQL */ `
  mutation ${signature} { ${call} { ...RoomIncidentFields } }
  ${ROOM_INCIDENT_FIELDS}
`;

export const OPEN_INCIDENT = returnsIncident(
  "OpenIncident($input: OpenIncidentInput!)",
  "openIncident(input: $input)",
);
export const OPEN_FOLLOW_UP = returnsIncident(
  "OpenFollowUpIncident($previousId: ID!, $input: OpenIncidentInput!)",
  "openFollowUpIncident(previousId: $previousId, input: $input)",
);
export const UPDATE_INCIDENT = returnsIncident(
  "UpdateIncident($id: ID!, $expectedVersion: Int!, $input: UpdateIncidentInput!)",
  "updateIncident(id: $id, expectedVersion: $expectedVersion, input: $input)",
);
export const ASSIGN_INCIDENT = returnsIncident(
  "AssignIncident($id: ID!, $expectedVersion: Int!, $queueId: ID!, $assigneeId: ID)",
  "assignIncident(id: $id, expectedVersion: $expectedVersion, queueId: $queueId, assigneeId: $assigneeId)",
);
export const ACKNOWLEDGE_INCIDENT = returnsIncident(
  "AcknowledgeIncident($id: ID!, $expectedVersion: Int!)",
  "acknowledgeIncident(id: $id, expectedVersion: $expectedVersion)",
);
export const START_WORK = returnsIncident(
  "StartWork($id: ID!, $expectedVersion: Int!)",
  "startWork(id: $id, expectedVersion: $expectedVersion)",
);
export const RETURN_TO_HELP_DESK = returnsIncident(
  "ReturnToHelpDesk($id: ID!, $expectedVersion: Int!, $reason: String!)",
  "returnToHelpDesk(id: $id, expectedVersion: $expectedVersion, reason: $reason)",
);
export const HOLD_INCIDENT = returnsIncident(
  "HoldIncident($id: ID!, $expectedVersion: Int!, $reason: HoldReason!, $note: String!)",
  "holdIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason, note: $note)",
);
export const RESUME_INCIDENT = returnsIncident(
  "ResumeIncident($id: ID!, $expectedVersion: Int!)",
  "resumeIncident(id: $id, expectedVersion: $expectedVersion)",
);
export const RESOLVE_INCIDENT = returnsIncident(
  "ResolveIncident($id: ID!, $expectedVersion: Int!, $code: ResolutionCode!, $notes: String!)",
  "resolveIncident(id: $id, expectedVersion: $expectedVersion, code: $code, notes: $notes)",
);
export const REOPEN_INCIDENT = returnsIncident(
  "ReopenResolvedIncident($id: ID!, $expectedVersion: Int!, $reason: String!)",
  "reopenResolvedIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason)",
);
export const CONFIRM_RESOLUTION = returnsIncident(
  "ConfirmResolution($id: ID!, $expectedVersion: Int!, $note: String)",
  "confirmResolution(id: $id, expectedVersion: $expectedVersion, note: $note)",
);
export const CLOSE_INCIDENT = returnsIncident(
  "CloseIncident($id: ID!, $expectedVersion: Int!)",
  "closeIncident(id: $id, expectedVersion: $expectedVersion)",
);
export const CANCEL_INCIDENT = returnsIncident(
  "CancelIncident($id: ID!, $expectedVersion: Int!, $reason: String!)",
  "cancelIncident(id: $id, expectedVersion: $expectedVersion, reason: $reason)",
);
export const LINK_PROBLEM = returnsIncident(
  "LinkProblem($id: ID!, $expectedVersion: Int!, $reference: String!)",
  "linkProblem(id: $id, expectedVersion: $expectedVersion, reference: $reference)",
);
export const COMPLETE_REVIEW = returnsIncident(
  "CompleteReview($id: ID!, $expectedVersion: Int!, $summary: String!, $rootCause: String!, $lessons: String!)",
  "completeReview(id: $id, expectedVersion: $expectedVersion, summary: $summary, rootCause: $rootCause, lessons: $lessons)",
);
export const ASSIGN_ROOM_ROLE = returnsIncident(
  "AssignRoomRole($incidentId: ID!, $role: RoomRole!, $userId: ID)",
  "assignRoomRole(incidentId: $incidentId, role: $role, userId: $userId)",
);

export const ADD_NOTE = /* GraphQL */ `
  mutation AddNote($incidentId: ID!, $body: String!) { addNote(incidentId: $incidentId, body: $body) { ...TimelineFields } }
  ${TIMELINE_FIELDS}
`;

export const LOG_CONTACT_ATTEMPT = /* GraphQL */ `
  mutation LogContactAttempt($incidentId: ID!, $method: ContactMethod!, $reached: Boolean!, $at: DateTime, $note: String) {
    logContactAttempt(incidentId: $incidentId, method: $method, reached: $reached, at: $at, note: $note) { ...TimelineFields }
  }
  ${TIMELINE_FIELDS}
`;

export const POST_PUBLIC_UPDATE = /* GraphQL */ `
  mutation PostPublicUpdate($incidentId: ID!, $status: PublicStatus!, $message: String!) {
    postPublicUpdate(incidentId: $incidentId, status: $status, message: $message) { id status message at }
  }
`;
