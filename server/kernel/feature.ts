/**
 * What each feature hands the wiring (app/schema.ts): its GraphQL resolver classes, listed in the
 * feature's own `resolvers.ts`. The wiring assembles them; no feature registers another's.
 */
export type FeatureResolvers = readonly (new () => object)[];
