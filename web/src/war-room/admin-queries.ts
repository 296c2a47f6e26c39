// Operations of the war room's Services and Admin pages (signed in; the server decides who may).
import { graphql, type ResultOf } from "../graphql";

const CATALOG_SERVICE_FIELDS = graphql(`
  fragment CatalogServiceFields on Service {
    id slug name description group position status version updatedAt
  }
`);

export const CATALOG_SERVICES_QUERY = graphql(
  `
  query CatalogServiceList { services { ...CatalogServiceFields } }
`,
  [CATALOG_SERVICE_FIELDS],
);

/** The public status stream, with the fields the Services page keeps (version, position). */
export const SERVICE_CATALOG_CHANGED = graphql(
  `
  subscription ServiceCatalogChanged($since: String) {
    statusChanged(since: $since) { seq kind at service { ...CatalogServiceFields } }
  }
`,
  [CATALOG_SERVICE_FIELDS],
);

export const SET_SERVICE_STATUS = graphql(
  `
  mutation SetServiceStatus($serviceId: ID!, $status: ServiceStatus!) {
    setServiceStatus(serviceId: $serviceId, status: $status) { ...CatalogServiceFields }
  }
`,
  [CATALOG_SERVICE_FIELDS],
);

export const CREATE_SERVICE = graphql(
  `
  mutation CreateService($input: CreateServiceInput!) {
    createService(input: $input) { ...CatalogServiceFields }
  }
`,
  [CATALOG_SERVICE_FIELDS],
);

export const UPDATE_SERVICE = graphql(
  `
  mutation UpdateService($id: ID!, $input: UpdateServiceInput!, $expectedVersion: Int!) {
    updateService(id: $id, input: $input, expectedVersion: $expectedVersion) { ...CatalogServiceFields }
  }
`,
  [CATALOG_SERVICE_FIELDS],
);

/** One service's change history, oldest first. */
export const SERVICE_HISTORY_QUERY = graphql(`
  query ServiceHistory($id: ID!) {
    service(id: $id) { id history { version authorName description at changes hash } }
  }
`);

export const VERIFY_SERVICE_HISTORY = graphql(`
  query VerifyServiceHistory($id: ID!) {
    verifyServiceHistory(id: $id) { ok checked firstBrokenVersion message }
  }
`);

const PERSON_FIELDS = graphql(`
  fragment PersonFields on User { id name email role active }
`);

/** Everyone for admins (inactive people too); active people only for queue pickers. */
export const ADMIN_USERS_QUERY = graphql(
  `
  query AdminUsers($includeInactive: Boolean) { users(includeInactive: $includeInactive) { ...PersonFields } }
`,
  [PERSON_FIELDS],
);

export const CREATE_USER = graphql(
  `
  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { ...PersonFields } }
`,
  [PERSON_FIELDS],
);

/** Rename, change the role of, or (de)activate someone; deactivating signs them out and stops their keys. */
export const UPDATE_USER = graphql(
  `
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...PersonFields } }
`,
  [PERSON_FIELDS],
);

const QUEUE_FIELDS = graphql(`
  fragment QueueFields on Queue { id name members { id name } manager { id name } }
`);

export const ADMIN_QUEUES_QUERY = graphql(
  `
  query AdminQueues { queues { ...QueueFields } }
`,
  [QUEUE_FIELDS],
);

export const CREATE_QUEUE = graphql(
  `
  mutation CreateQueue($name: String!, $memberIds: [ID!]!) {
    createQueue(name: $name, memberIds: $memberIds) { ...QueueFields }
  }
`,
  [QUEUE_FIELDS],
);

export const ADD_QUEUE_MEMBER = graphql(
  `
  mutation AddQueueMember($queueId: ID!, $userId: ID!) {
    addQueueMember(queueId: $queueId, userId: $userId) { ...QueueFields }
  }
`,
  [QUEUE_FIELDS],
);

export const REMOVE_QUEUE_MEMBER = graphql(
  `
  mutation RemoveQueueMember($queueId: ID!, $userId: ID!) {
    removeQueueMember(queueId: $queueId, userId: $userId) { ...QueueFields }
  }
`,
  [QUEUE_FIELDS],
);

const API_KEY_FIELDS = graphql(`
  fragment ApiKeyFields on ApiKey { id name prefix scopes createdAt lastUsedAt revokedAt user { id name } }
`);

export const API_KEYS_QUERY = graphql(
  `
  query AdminApiKeys { apiKeys { ...ApiKeyFields } }
`,
  [API_KEY_FIELDS],
);

export const CREATE_API_KEY = graphql(
  `
  mutation CreateApiKey($name: String!, $scopes: [ApiScope!]!, $userId: ID) {
    createApiKey(name: $name, scopes: $scopes, userId: $userId) { secret apiKey { ...ApiKeyFields } }
  }
`,
  [API_KEY_FIELDS],
);

export const REVOKE_API_KEY = graphql(
  `
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ...ApiKeyFields } }
`,
  [API_KEY_FIELDS],
);

const CATEGORY_FIELDS = graphql(`
  fragment CategoryFields on Category { id name path children { id name path } }
`);

/** The classification tree: top-level categories with their subcategories. */
export const ADMIN_CATEGORIES_QUERY = graphql(
  `
  query AdminCategories { categories { ...CategoryFields } }
`,
  [CATEGORY_FIELDS],
);

export const CREATE_CATEGORY = graphql(
  `
  mutation CreateCategory($name: String!, $parentId: ID) {
    createCategory(name: $name, parentId: $parentId) { ...CategoryFields }
  }
`,
  [CATEGORY_FIELDS],
);

// The shapes the Services and Admin pages work with, as the documents above select them.
/** A service as the Services page shows and edits it (`version`: pass it back as expectedVersion). */
export type CatalogService = ResultOf<typeof CATALOG_SERVICE_FIELDS>;
/** A user as the Admin page lists them: inactive people are listed too. */
export type Person = ResultOf<typeof PERSON_FIELDS>;
export type Queue = ResultOf<typeof QUEUE_FIELDS>;
export type ApiKey = ResultOf<typeof API_KEY_FIELDS>;
export type Category = ResultOf<typeof CATEGORY_FIELDS>;

export const SLA_POLICIES_QUERY = graphql(`
  query SlaPolicies {
    slaPolicies { priority acknowledgeMinutes resolveMinutes businessHours publicUpdateEveryMinutes autoClose }
  }
`);

export const SET_SLA_POLICY = graphql(`
  mutation SetSlaPolicy($input: SlaPolicyInput!) {
    setSlaPolicy(input: $input) {
      priority acknowledgeMinutes resolveMinutes businessHours publicUpdateEveryMinutes autoClose
    }
  }
`);

export type SlaPolicyRow = ResultOf<typeof SLA_POLICIES_QUERY>["slaPolicies"][number];

/** Who an unacknowledged incident in the queue is escalated to first (docs/service-levels.md). */
export const SET_QUEUE_MANAGER = graphql(
  `
  mutation SetQueueManager($queueId: ID!, $userId: ID) {
    setQueueManager(queueId: $queueId, userId: $userId) { ...QueueFields }
  }
`,
  [QUEUE_FIELDS],
);
