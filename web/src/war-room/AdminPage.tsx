import { useCallback, useEffect, useRef, useState } from "react";
import type { Action } from "../../../server/domain/permissions";
import type { TypedDocument } from "../graphql";
import { query, toRequestError } from "../graphql-client";
import { useDocumentTitle } from "../shared/hooks";
import { Link } from "../shared/router";
import { ApiKeysSection } from "./admin/ApiKeysSection";
import { CategoriesSection } from "./admin/CategoriesSection";
import { MailOutboxSection } from "./admin/MailOutboxSection";
import { PeopleSection } from "./admin/PeopleSection";
import { QueuesSection } from "./admin/QueuesSection";
import { SlaPoliciesSection } from "./admin/SlaPoliciesSection";
import { SubscribersSection } from "./admin/SubscribersSection";
import { WebhooksSection } from "./admin/WebhooksSection";
import {
  ADMIN_CATEGORIES_QUERY,
  ADMIN_QUEUES_QUERY,
  ADMIN_USERS_QUERY,
  API_KEYS_QUERY,
  CATALOG_SERVICES_QUERY,
  SLA_POLICIES_QUERY,
} from "./admin-queries";
import { refreshCatalog } from "./catalog";
import { type Actor, mayDo } from "./commands";
import type { User } from "./queries";

// The sections and their dialogs live in ./admin/; what other modules and tests use stays importable here.
export { CreateApiKeyForm, SCOPE_HELP } from "./admin/ApiKeysSection";
export { CreateUserForm, EditPersonForm, ROLE_HELP, SetActiveDialog } from "./admin/PeopleSection";
export { SecretBox } from "./admin/SecretBox";

/**
 * The permission behind each section of the Admin page (the server's own table): people and API
 * keys are for admins, escalation queues (create, add and remove members) also for incident managers.
 */
const SECTION_ACTIONS = {
  people: "createUser",
  queues: "createQueue",
  apiKeys: "manageApiKeys",
  categories: "createCategory",
  subscriptions: "manageSubscriptions",
  slaPolicies: "manageSlaPolicies",
} as const satisfies Record<string, Action>;

/** True when the actor may use at least one section of the Admin page (the nav link shows then). */
export function mayAdminister(actor: Actor): boolean {
  return Object.values(SECTION_ACTIONS).some((action) => mayDo(actor, action));
}

interface AdminPageProps {
  actor: Actor;
  self: Pick<User, "id" | "name">;
  /** Called after the signed-in user changed their own name or role here. */
  onSelfChanged?: () => void;
}

/** The admin page; anyone who may use none of its sections is told whom to ask. */
export function AdminPage({ actor, self, onSelfChanged }: AdminPageProps) {
  useDocumentTitle("Admin · Beacon war room");
  if (!mayAdminister(actor)) return <OnlyAdmins />;
  return <AdminConsole actor={actor} self={self} onSelfChanged={onSelfChanged} />;
}

export function OnlyAdmins() {
  return (
    <div className="card empty" data-testid="only-admins">
      <h1 className="page-title">Admin</h1>
      <p role="alert">
        Only admins can manage people, API keys and categories, and only admins and incident managers can
        manage escalation queues. Ask an admin if you need a change.
      </p>
      <p>
        <Link to="/war-room">Back to incidents</Link> · <Link to="/war-room/services">Services</Link>
      </p>
    </div>
  );
}

/**
 * Loads a list (only when `enabled`: a section the actor may not use asks the server nothing);
 * `reload` after a change. A refusal is kept as the server's message.
 */
function useList<T, D, V>(
  document: TypedDocument<D, V>,
  pick: (data: D) => T[],
  { enabled = true, variables }: { enabled?: boolean; variables?: V } = {},
) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pickRef = useRef(pick);
  const variablesKey = JSON.stringify(variables ?? {});
  const reload = useCallback(() => {
    if (!enabled) return;
    query(document, JSON.parse(variablesKey) as V)
      .then((data) => {
        setItems(pickRef.current(data));
        setError(null);
      })
      .catch((e) => setError(toRequestError(e).message));
  }, [document, enabled, variablesKey]);
  useEffect(reload, [reload]);
  return { items, error, reload, setItems };
}

function AdminConsole({ actor, self, onSelfChanged }: AdminPageProps) {
  const canPeople = mayDo(actor, SECTION_ACTIONS.people);
  const canQueues = mayDo(actor, SECTION_ACTIONS.queues);
  const canKeys = mayDo(actor, SECTION_ACTIONS.apiKeys);
  const canCategories = mayDo(actor, SECTION_ACTIONS.categories);
  const canSubscriptions = mayDo(actor, SECTION_ACTIONS.subscriptions);
  const canSla = mayDo(actor, SECTION_ACTIONS.slaPolicies);
  // Admins see everyone, inactive people too; the queue and key pickers offer active people only.
  const users = useList(ADMIN_USERS_QUERY, (d) => d.users, { variables: { includeInactive: canPeople } });
  const queues = useList(ADMIN_QUEUES_QUERY, (d) => d.queues, { enabled: canQueues });
  const keys = useList(API_KEYS_QUERY, (d) => d.apiKeys, { enabled: canKeys });
  const categories = useList(ADMIN_CATEGORIES_QUERY, (d) => d.categories, { enabled: canCategories });
  const slaPolicies = useList(SLA_POLICIES_QUERY, (d) => d.slaPolicies, { enabled: canSla });
  const services = useList(CATALOG_SERVICES_QUERY, (d) => d.services, { enabled: canSubscriptions });
  // A change in one of the subscriber sections (an endpoint registered or removed) reloads the others.
  const [subscriptionsChanged, setSubscriptionsChanged] = useState(0);
  const bumpSubscriptions = () => setSubscriptionsChanged((n) => n + 1);
  const reloadQueues = queues.reload;
  const activeUsers = (users.items ?? []).filter((u) => u.active);
  const inactiveIds = new Set((users.items ?? []).filter((u) => !u.active).map((u) => u.id));

  return (
    <>
      <div className="page-head">
        <h1 className="page-title">Admin</h1>
      </div>
      {!canPeople && (
        <p className="muted small" data-testid="admin-scope">
          You can manage escalation queues. People and API keys are managed by admins.
        </p>
      )}
      <div className="admin-sections">
        {canPeople && (
          <PeopleSection
            users={users.items}
            error={users.error}
            self={self}
            apiKeys={keys.items ?? []}
            onChanged={(user) => {
              users.reload();
              refreshCatalog();
              if (user?.id === self.id) onSelfChanged?.();
            }}
          />
        )}
        {canQueues && (
          <QueuesSection
            queues={queues.items}
            users={activeUsers}
            inactiveIds={inactiveIds}
            error={queues.error}
            onChanged={() => {
              reloadQueues();
              refreshCatalog();
            }}
          />
        )}
        {canKeys && (
          <ApiKeysSection
            keys={keys.items}
            users={activeUsers}
            inactiveIds={inactiveIds}
            self={self}
            error={keys.error}
            onChanged={keys.reload}
          />
        )}
        {canCategories && (
          <CategoriesSection
            categories={categories.items}
            error={categories.error}
            onChanged={() => {
              categories.reload();
              refreshCatalog();
            }}
          />
        )}
        {canSla && (
          <SlaPoliciesSection
            policies={slaPolicies.items}
            error={slaPolicies.error}
            onChanged={slaPolicies.reload}
          />
        )}
        {canSubscriptions && (
          <>
            <SubscribersSection
              services={services.items ?? []}
              refreshKey={subscriptionsChanged}
              onChanged={bumpSubscriptions}
            />
            <WebhooksSection
              services={services.items ?? []}
              refreshKey={subscriptionsChanged}
              onChanged={bumpSubscriptions}
            />
            <MailOutboxSection />
          </>
        )}
      </div>
    </>
  );
}
