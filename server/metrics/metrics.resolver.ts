import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";
import { Arg, Ctx, Info, Query, Resolver } from "type-graphql";
import { requirePermission } from "../auth";
import { ApiScope, MetricsGroup } from "../domain/vocabulary";
import type { BeaconContext } from "../kernel/context";
import { ALL_FIGURES, type Figure, incidentMetrics, type MetricsWanted } from "./metrics.service";
import { IncidentMetrics } from "./metrics.types";

const ABOUT_THE_QUERY = new Set(["__typename", "from", "to", "groupBy", "timeZone", "rows", "trends"]);

/** The field names a selection set selects (fragments included). */
function selectedNames(
  info: GraphQLResolveInfo,
  sets: readonly (SelectionSetNode | undefined)[],
): Set<string> {
  const names = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) names.add(sel.name.value);
      else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet);
      else visit(info.fragments[sel.name.value]?.selectionSet);
    }
  };
  for (const set of sets) visit(set);
  return names;
}

/** The selection sets of the fields called `name` in a selection set (fragments included). */
function subSelections(info: GraphQLResolveInfo, set: SelectionSetNode | undefined, name: string) {
  const found: SelectionSetNode[] = [];
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value === name && sel.selectionSet) found.push(sel.selectionSet);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) found.push(...subSelections(info, sel.selectionSet, name));
    else found.push(...subSelections(info, info.fragments[sel.name.value]?.selectionSet, name));
  }
  return found;
}

/**
 * The parts of IncidentMetrics the operation selects, and the figures it reads in the totals or the
 * rows (fragments included): the others are not computed.
 */
function wantedParts(info: GraphQLResolveInfo): MetricsWanted {
  const top = info.fieldNodes.map((node) => node.selectionSet);
  const names = selectedNames(info, top);
  const rowNames = selectedNames(
    info,
    top.flatMap((set) => subSelections(info, set, "rows")),
  );
  const figures = new Set([...names, ...rowNames].filter((n): n is Figure => ALL_FIGURES.has(n as Figure)));
  return {
    totals: [...names].some((n) => !ABOUT_THE_QUERY.has(n)),
    rows: names.has("rows"),
    trends: names.has("trends"),
    figures,
  };
}

@Resolver()
export class MetricsResolver {
  @Query(() => IncidentMetrics, {
    description:
      "Count, MTTA, MTTR (mean and median, wall-clock and business), SLA attainment and breaches of the incidents opened in [from, to) (at most two years), grouped; plus trends (docs/reports.md).",
  })
  incidentMetrics(
    @Arg("from", () => Date) from: Date,
    @Arg("to", () => Date) to: Date,
    @Arg("groupBy", () => MetricsGroup, { nullable: true, defaultValue: MetricsGroup.PRIORITY })
    groupBy: MetricsGroup | null,
    @Ctx() ctx: BeaconContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<IncidentMetrics> {
    requirePermission(ctx, "viewMetrics", undefined, ApiScope.READ);
    return incidentMetrics(ctx.beacon, from, to, groupBy ?? MetricsGroup.PRIORITY, wantedParts(info));
  }
}
