import { describe, expect, it } from "vitest";
import {
  addNotification,
  BELL_SIZE,
  type BellState,
  markRead,
  readElsewhere,
  unreadWords,
} from "./bell-state";

const item = (id: string, read = false, seq = id) => ({ id, read, seq });
type S = BellState<ReturnType<typeof item>>;

describe("the bell's state", () => {
  const start: S = { unreadCount: 2, items: [item("2"), item("1"), item("0", true)] };

  it("a new unread notification goes on top and counts", () => {
    const s = addNotification(start, item("3"));
    expect(s.items.map((i) => i.id)).toEqual(["3", "2", "1", "0"]);
    expect(s.unreadCount).toBe(3);
  });

  it("one already shown (a replay overlapping the inbox) changes nothing", () => {
    expect(addNotification(start, item("2"))).toBe(start);
  });

  it("a read one is listed but not counted", () => {
    expect(addNotification(start, item("3", true)).unreadCount).toBe(2);
  });

  it(`keeps at most ${BELL_SIZE}`, () => {
    let s: S = { unreadCount: 0, items: [] };
    for (let i = 0; i < BELL_SIZE + 5; i++) s = addNotification(s, item(String(i)));
    expect(s.items).toHaveLength(BELL_SIZE);
    expect(s.unreadCount).toBe(BELL_SIZE + 5);
    expect(s.items[0]!.id).toBe(String(BELL_SIZE + 4));
  });

  it("marking some read drops the count by those that were unread", () => {
    const s = markRead(start, ["1", "0", "unknown"]);
    expect(s.unreadCount).toBe(1);
    expect(s.items.find((i) => i.id === "1")!.read).toBe(true);
    expect(s.items.find((i) => i.id === "2")!.read).toBe(false);
  });

  it("marking all read empties the count, even beyond what is listed", () => {
    const s = markRead({ ...start, unreadCount: 40 }, null);
    expect(s.unreadCount).toBe(0);
    expect(s.items.every((i) => i.read)).toBe(true);
  });

  it("read marks from another tab apply when every one is listed; this tab's own echo changes nothing", () => {
    const s = readElsewhere(start, ["2"]);
    expect(s?.unreadCount).toBe(1);
    expect(s?.items.find((i) => i.id === "2")?.read).toBe(true);
    expect(readElsewhere(s!, ["2"])?.unreadCount).toBe(1);
    expect(readElsewhere(start, ["0"])?.unreadCount).toBe(2);
  });

  it("read marks naming one not listed ask for a reload (its unread state is unknown here)", () => {
    expect(readElsewhere(start, ["2", "older"])).toBeNull();
  });

  it("says the count in words", () => {
    expect(unreadWords(0)).toBe("No unread notifications");
    expect(unreadWords(1)).toBe("1 unread notification");
    expect(unreadWords(7)).toBe("7 unread notifications");
  });
});
