// @vitest-environment jsdom
import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { GraphQLRequestError } from "../graphql-client";
import { keepEdits, useEditedValues, useSubmit } from "./form-state";

afterEach(cleanup);

describe("keepEdits", () => {
  it("keeps the fields the user edited and takes the reloaded values for the others", () => {
    const mine = { title: "My title", description: "old text", impact: "LOW" };
    const fresh = { title: "Their title", description: "their text", impact: "HIGH" };
    expect(keepEdits(mine, fresh, new Set(["title"] as const))).toEqual({
      title: "My title",
      description: "their text",
      impact: "HIGH",
    });
    expect(keepEdits(mine, fresh, new Set())).toEqual(fresh);
  });
});

describe("useEditedValues", () => {
  it("records edits, and a rebase refreshes only what the user did not edit", () => {
    const { result } = renderHook(() => useEditedValues({ name: "API", group: "Core", slug: "api" }));
    act(() => result.current.edit("name", "Public API"));
    act(() => result.current.rebase({ name: "Checkout API", group: "Payments", slug: "checkout" }));
    expect(result.current.values).toEqual({ name: "Public API", group: "Payments", slug: "checkout" });
    expect(result.current.dirty).toBe(true);
  });

  it("after a reset (saved), nothing counts as edited: a rebase takes every reloaded value", () => {
    const { result } = renderHook(() => useEditedValues({ summary: "", lessons: "" }));
    expect(result.current.dirty).toBe(false);
    act(() => result.current.edit("summary", "Mine"));
    act(() => result.current.reset({ summary: "Mine", lessons: "" }));
    expect(result.current.dirty).toBe(false);
    act(() => result.current.rebase({ summary: "Theirs", lessons: "Theirs too" }));
    expect(result.current.values).toEqual({ summary: "Theirs", lessons: "Theirs too" });
  });
});

describe("useSubmit", () => {
  it("is busy while the task runs, ignores a second submit meanwhile, and keeps the refusal", async () => {
    const { result } = renderHook(() => useSubmit());
    let finish: () => void = () => {};
    let calls = 0;
    let first: Promise<void> = Promise.resolve();
    act(() => {
      first = result.current.run(
        () =>
          new Promise<void>((resolve) => {
            calls++;
            finish = resolve;
          }),
      );
    });
    expect(result.current.busy).toBe(true);
    await act(() => result.current.run(async () => void calls++));
    expect(calls).toBe(1);
    await act(async () => {
      finish();
      await first;
    });
    expect(result.current.busy).toBe(false);

    const refusal = new GraphQLRequestError([
      { message: "Version 3 is stale.", extensions: { code: "CONFLICT" } },
    ]);
    await act(() =>
      result.current.run(async () => {
        throw refusal;
      }),
    );
    expect(result.current.error).toEqual({ message: "Version 3 is stale.", code: "CONFLICT" });
    expect(result.current.busy).toBe(false);
  });
});
