// Operations of the war room's Services and Admin pages (signed in; the server decides who may).

const CATALOG_SERVICE_FIELDS = /* GraphQL */ `
  fragment CatalogServiceFields on Service {
    id slug name description group position status version updatedAt
  }
`;

export const CATALOG_SERVICES_QUERY = /* GraphQL */ `
  query CatalogServiceList { services { ...CatalogServiceFields } }
  ${CATALOG_SERVICE_FIELDS}
`;

/** The public status stream, with the fields the Services page keeps (version, position). */
export const SERVICE_CATALOG_CHANGED = /* GraphQL */ `
  subscription ServiceCatalogChanged($since: String) {
    statusChanged(since: $since) { seq kind at service { ...CatalogServiceFields } }
  }
  ${CATALOG_SERVICE_FIELDS}
`;

export const SET_SERVICE_STATUS = /* GraphQL */ `
  mutation SetServiceStatus($serviceId: ID!, $status: ServiceStatus!) {
    setServiceStatus(serviceId: $serviceId, status: $status) { ...CatalogServiceFields }
  }
  ${CATALOG_SERVICE_FIELDS}
`;

export const CREATE_SERVICE = /* GraphQL */ `
  mutation CreateService($input: CreateServiceInput!) {
    createService(input: $input) { ...CatalogServiceFields }
  }
  ${CATALOG_SERVICE_FIELDS}
`;

export const UPDATE_SERVICE = /* GraphQL */ `
  mutation UpdateService($id: ID!, $input: UpdateServiceInput!, $expectedVersion: Int) {
    updateService(id: $id, input: $input, expectedVersion: $expectedVersion) { ...CatalogServiceFields }
  }
  ${CATALOG_SERVICE_FIELDS}
`;

/** One service's change history, oldest first. */
export const SERVICE_HISTORY_QUERY = /* GraphQL */ `
  query ServiceHistory($id: ID!) {
    service(id: $id) { id history { version authorName description at changes hash } }
  }
`;

export const VERIFY_SERVICE_HISTORY = /* GraphQL */ `
  query VerifyServiceHistory($id: ID!) {
    verifyServiceHistory(id: $id) { ok checked firstBrokenVersion message }
  }
`;

const PERSON_FIELDS = "id name email role active";

/** Everyone for admins (inactive people too); active people only for queue pickers. */
export const ADMIN_USERS_QUERY = /* GraphQL */ `
  query AdminUsers($includeInactive: Boolean) { users(includeInactive: $includeInactive) { ${PERSON_FIELDS} } }
`;

export const CREATE_USER = /* GraphQL */ `
  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ${PERSON_FIELDS} } }
`;

/** Rename, change the role of, or (de)activate someone; deactivating signs them out and stops their keys. */
export const UPDATE_USER = /* GraphQL */ `
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ${PERSON_FIELDS} } }
`;

const QUEUE_FIELDS = "id name members { id name }";

export const ADMIN_QUEUES_QUERY = /* GraphQL */ `
  query AdminQueues { queues { ${QUEUE_FIELDS} } }
`;

export const CREATE_QUEUE = /* GraphQL */ `
  mutation CreateQueue($name: String!, $memberIds: [ID!]!) {
    createQueue(name: $name, memberIds: $memberIds) { ${QUEUE_FIELDS} }
  }
`;

export const ADD_QUEUE_MEMBER = /* GraphQL */ `
  mutation AddQueueMember($queueId: ID!, $userId: ID!) {
    addQueueMember(queueId: $queueId, userId: $userId) { ${QUEUE_FIELDS} }
  }
`;

export const REMOVE_QUEUE_MEMBER = /* GraphQL */ `
  mutation RemoveQueueMember($queueId: ID!, $userId: ID!) {
    removeQueueMember(queueId: $queueId, userId: $userId) { ${QUEUE_FIELDS} }
  }
`;

const API_KEY_FIELDS = "id name prefix scopes createdAt lastUsedAt revokedAt user { id name }";

export const API_KEYS_QUERY = /* GraphQL */ `
  query AdminApiKeys { apiKeys { ${API_KEY_FIELDS} } }
`;

export const CREATE_API_KEY = /* GraphQL */ `
  mutation CreateApiKey($name: String!, $scopes: [ApiScope!]!, $userId: ID) {
    createApiKey(name: $name, scopes: $scopes, userId: $userId) { secret apiKey { ${API_KEY_FIELDS} } }
  }
`;

export const REVOKE_API_KEY = /* GraphQL */ `
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }
`;
