/** The incident feature's resolvers, registered in app/schema.ts. */
export const RESOLVERS: (new () => object)[] = [];
