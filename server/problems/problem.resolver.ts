import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requirePermission } from "../auth";
import { problemNumber } from "../domain/problem";
import { ApiScope, ProblemState } from "../domain/vocabulary";
import { historyOf, verifyChain } from "../history";
import { ChangeRecord } from "../history/change-record.entity";
import { HistoryVerification } from "../history/history.types";
import { Incident } from "../incidents/incident.entity";
import type { BeaconContext } from "../kernel/context";
import { Problem } from "./problem.entity";
import * as problems from "./problem.service";

const viewer = (ctx: BeaconContext) => requirePermission(ctx, "viewIncidents", undefined, ApiScope.READ);

@Resolver(() => Problem)
export class ProblemResolver {
  @Query(() => [Problem], { description: "Problem records, newest first (first: 1-200)." })
  problems(
    @Arg("states", () => [ProblemState], { nullable: true }) states: ProblemState[] | null,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Ctx() ctx: BeaconContext,
  ): Promise<Problem[]> {
    viewer(ctx);
    return problems.listProblems(ctx.beacon.db.manager, states, first);
  }

  @Query(() => Problem, { nullable: true, description: 'By id or by number ("PRB-000001").' })
  problem(@Arg("id", () => ID) id: string, @Ctx() ctx: BeaconContext): Promise<Problem | null> {
    viewer(ctx);
    return problems.findProblemByRef(ctx.beacon.db.manager, id);
  }

  @Query(() => [Problem], {
    description:
      "Known errors recorded for incidents on any of these services: shown when opening an incident.",
  })
  knownErrors(
    @Arg("serviceIds", () => [ID]) serviceIds: string[],
    @Ctx() ctx: BeaconContext,
  ): Promise<Problem[]> {
    viewer(ctx);
    return problems.knownErrorsFor(ctx.beacon.db.manager, serviceIds);
  }

  @Query(() => HistoryVerification, { description: "Recomputes the problem's change-record hash chain." })
  async verifyProblemHistory(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<HistoryVerification> {
    viewer(ctx);
    const m = ctx.beacon.db.manager;
    const p = await problems.findProblemByRef(m, id);
    return verifyChain(p ? await historyOf(m, "problem", p.id) : []);
  }

  @Mutation(() => Problem, {
    description: "Opens a problem record (OPEN, version 1) numbered PRB-000001, PRB-000002, ...",
  })
  createProblem(
    @Arg("title", () => String) title: string,
    @Arg("description", () => String) description: string,
    @Ctx() ctx: BeaconContext,
  ): Promise<Problem> {
    return problems.createProblem(ctx.beacon, requirePermission(ctx, "createProblem"), title, description);
  }

  @Mutation(() => Problem, {
    description:
      "Root cause, workaround and state in one versioned change. KNOWN_ERROR needs root cause and workaround; RESOLVED needs the root cause; closing is for incident managers.",
  })
  updateProblem(
    @Arg("id", () => ID) id: string,
    @Arg("expectedVersion", () => Int) expectedVersion: number,
    @Arg("state", () => ProblemState, { nullable: true }) state: ProblemState | null,
    @Arg("rootCause", () => String, { nullable: true }) rootCause: string | null,
    @Arg("workaround", () => String, { nullable: true }) workaround: string | null,
    @Ctx() ctx: BeaconContext,
  ): Promise<Problem> {
    return problems.updateProblem(ctx.beacon, requirePermission(ctx, "updateProblem"), id, expectedVersion, {
      state,
      rootCause,
      workaround,
    });
  }

  @FieldResolver(() => String, { description: '"PRB-000001".' })
  number(@Root() p: Problem): string {
    return problemNumber(p.seqNumber);
  }

  @FieldResolver(() => [Incident], { description: "The incidents linked to it, oldest first." })
  incidents(@Root() p: Problem, @Ctx() ctx: BeaconContext): Promise<Incident[]> {
    viewer(ctx);
    return problems.incidentsOf(ctx.beacon.db.manager, p.id);
  }

  @FieldResolver(() => [ChangeRecord], { description: "Oldest first; hash-chained." })
  history(@Root() p: Problem, @Ctx() ctx: BeaconContext): Promise<ChangeRecord[]> {
    viewer(ctx);
    return historyOf(ctx.beacon.db.manager, "problem", p.id);
  }
}
