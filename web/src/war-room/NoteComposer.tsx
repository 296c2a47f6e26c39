import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { mutate } from "../graphql-client";
import { useSubmit } from "./form-state";
import { FormError } from "./ModalForm";
import type { TimelineEntry } from "./queries";
import { ADD_NOTE } from "./queries";

const TYPING_IDLE_MS = 3_000;

/** "Add a note": Ctrl/Cmd+Enter sends; typing starts/stops are reported for presence. */
export function NoteComposer({
  incidentId,
  onAdded,
  onTyping,
}: {
  incidentId: string;
  onAdded: (entry: TimelineEntry) => void;
  onTyping: (typing: boolean) => void;
}) {
  const [body, setBody] = useState("");
  const { busy, error, run } = useSubmit();
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const hintId = useId();

  useEffect(() => () => clearTimeout(idle.current), []);

  const stopTyping = () => {
    clearTimeout(idle.current);
    onTyping(false);
  };

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (!text) return;
    void run(async () => {
      const { addNote } = await mutate(ADD_NOTE, { incidentId, body: text });
      setBody("");
      stopTyping();
      onAdded(addNote);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="note-composer" onSubmit={send} data-testid="note-composer">
      <label className="sr-only" htmlFor={`${hintId}-note`}>
        Add a note
      </label>
      <textarea
        id={`${hintId}-note`}
        rows={3}
        value={body}
        placeholder="Add a note… (Ctrl+Enter or ⌘+Enter to send)"
        aria-describedby={hintId}
        onKeyDown={onKeyDown}
        onChange={(e) => {
          setBody(e.target.value);
          if (e.target.value) {
            onTyping(true);
            clearTimeout(idle.current);
            idle.current = setTimeout(() => onTyping(false), TYPING_IDLE_MS);
          } else stopTyping();
        }}
        onBlur={stopTyping}
      />
      <div className="note-composer-foot">
        <span id={hintId} className="small muted">
          Notes are internal. Ctrl/⌘ + Enter sends.
        </span>
        <button type="submit" className="button button-primary" disabled={busy || !body.trim()}>
          Add note
        </button>
      </div>
      <FormError error={error?.message} />
    </form>
  );
}
