// The one `graphql` tag of the web app. Every document is written with it, so gql.tada parses and
// types it against schema/schema.graphql (through web/src/graphql-env.d.ts, generated from that file
// by `npm run graphql-env`); `npm run typecheck` also validates every document against the schema
// (`gql.tada check`), so a renamed or removed field fails the typecheck. See docs/web.md.
import { type DocumentNode, print } from "@0no-co/graphql.web";
import { type DocumentDecoration, initGraphQLTada } from "gql.tada";
import type * as vocabulary from "../../server/domain/vocabulary";
import type { introspection } from "./graphql-env";

export const graphql = initGraphQLTada<{
  introspection: introspection;
  // Fragments are plain selections here (no masking): components take the objects the queries return.
  disableMasking: true;
  scalars: {
    DateTime: string;
    /** Beacon's JSON fields (timeline data, change sets) are always objects. */
    JSON: Record<string, unknown>;
    // The schema's enums are emitted from server/domain/vocabulary.ts; results carry those TS enums so
    // they meet the domain rules the web app shares with the server (lifecycle, permissions, status).
    ApiScope: vocabulary.ApiScope;
    ContactMethod: vocabulary.ContactMethod;
    HoldReason: vocabulary.HoldReason;
    Impact: vocabulary.Impact;
    IncidentState: vocabulary.IncidentState;
    Priority: vocabulary.Priority;
    ProblemState: vocabulary.ProblemState;
    PublicStatus: vocabulary.PublicStatus;
    ResolutionCode: vocabulary.ResolutionCode;
    Role: vocabulary.Role;
    RoomRole: vocabulary.RoomRole;
    ServiceStatus: vocabulary.ServiceStatus;
    StatusEventKind: vocabulary.StatusEventKind;
    StatusIndicator: vocabulary.StatusIndicator;
    TimelineKind: vocabulary.TimelineKind;
    Urgency: vocabulary.Urgency;
  };
}>();

export type { ResultOf, VariablesOf } from "gql.tada";

/** A document written with `graphql()`: its result and variables types travel with it. */
export type TypedDocument<Result = unknown, Variables = Record<string, unknown>> = DocumentNode &
  DocumentDecoration<Result, Variables>;

const texts = new WeakMap<object, string>();

/** The text sent to the server for a document (fragments included once), printed once per document. */
export function documentText(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) {
    text = print(document);
    texts.set(document, text);
  }
  return text;
}
