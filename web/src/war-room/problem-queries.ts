// Problem records (signed in; the server decides who may).
import { graphql, type ResultOf } from "../graphql";

export const PROBLEM_ROW_FIELDS = graphql(`
  fragment ProblemRowFields on Problem {
    id number title state version createdAt updatedAt
    incidents { id }
  }
`);

export const PROBLEM_FIELDS = graphql(`
  fragment ProblemFields on Problem {
    id number title description state rootCause workaround version createdAt updatedAt
    incidents { id number title state priority major createdAt }
  }
`);

export const PROBLEMS_QUERY = graphql(
  `
  query Problems($states: [ProblemState!], $first: Int) {
    problems(states: $states, first: $first) { ...ProblemRowFields }
  }
`,
  [PROBLEM_ROW_FIELDS],
);

export const PROBLEM_QUERY = graphql(
  `
  query Problem($id: ID!) { problem(id: $id) { ...ProblemFields } }
`,
  [PROBLEM_FIELDS],
);

export const PROBLEM_HISTORY_QUERY = graphql(`
  query ProblemHistory($id: ID!) {
    problem(id: $id) { id history { version authorName description at changes hash } }
  }
`);

export const VERIFY_PROBLEM_HISTORY = graphql(`
  query VerifyProblemHistory($id: ID!) {
    verifyProblemHistory(id: $id) { ok checked firstBrokenVersion message }
  }
`);

export const CREATE_PROBLEM = graphql(
  `
  mutation CreateProblem($title: String!, $description: String!) {
    createProblem(title: $title, description: $description) { ...ProblemFields }
  }
`,
  [PROBLEM_FIELDS],
);

export const UPDATE_PROBLEM = graphql(
  `
  mutation UpdateProblem($id: ID!, $expectedVersion: Int!, $state: ProblemState, $rootCause: String, $workaround: String) {
    updateProblem(id: $id, expectedVersion: $expectedVersion, state: $state, rootCause: $rootCause, workaround: $workaround) {
      ...ProblemFields
    }
  }
`,
  [PROBLEM_FIELDS],
);

export type ProblemRow = ResultOf<typeof PROBLEM_ROW_FIELDS>;
export type Problem = ResultOf<typeof PROBLEM_FIELDS>;
