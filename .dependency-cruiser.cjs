// Arrows only point down (docs/architecture.md). Checked by `npm run depcheck`, part of `npm test`.
//
//   app/, db/, main.ts        wiring: assembles everything; nothing imports it
//   <feature>/                auth, queues, services, incidents, status-page, war-room, ...
//   kernel/                   context, errors, clock, log, config, batch loader
//   domain/                   pure rules, imports nothing outside itself
//
// A feature uses another feature only through its public surface: its index.ts, its entities
// (*.entity.ts, which TypeORM relations and GraphQL fields name) and its GraphQL types (*.types.ts).
const FEATURE = "^server/(?!app/|db/|kernel/|domain/|main\\.ts)([^/]+)/";
const PUBLIC = ["/index\\.ts$", "\\.entity\\.ts$", "\\.types\\.ts$"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "A cycle means two modules cannot be understood (or loaded) one after the other.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "domain-is-pure",
      comment: "server/domain/ holds the pure rules: it imports nothing outside itself.",
      severity: "error",
      from: { path: "^server/domain/" },
      to: { pathNot: "^server/domain/" },
    },
    {
      name: "kernel-knows-no-feature",
      comment:
        "server/kernel/ is the bottom layer: it imports only itself, domain/ and packages. " +
        "kernel/context.ts may name the long-lived services' types (type-only, erased at build).",
      severity: "error",
      from: { path: "^server/kernel/" },
      to: {
        pathNot: ["^server/kernel/", "^server/domain/", "node_modules"],
        dependencyTypesNot: ["type-only", "core"],
      },
    },
    {
      name: "nothing-imports-the-wiring",
      comment: "app/, db/ and main.ts sit on top: features and the kernel never import them.",
      severity: "error",
      from: { path: "^server/(?!app/|db/|main\\.ts)" },
      to: { path: "^server/(app/|db/|main\\.ts)" },
    },
    {
      name: "no-feature-internals",
      comment:
        "Use another feature through its index.ts (or its *.entity.ts / *.types.ts), never its " +
        "resolvers, services or helpers directly.",
      severity: "error",
      from: { path: FEATURE },
      to: { path: FEATURE, pathNot: ["^server/$1/", ...PUBLIC] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
