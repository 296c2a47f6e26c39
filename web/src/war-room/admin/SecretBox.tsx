import { useEffect, useId, useRef, useState } from "react";

/** The secret, shown once: a warning, a read-only box (focused and selected) and a copy button. */
export function SecretBox({
  secret,
  note = "Beacon keeps only a hash of it and cannot show it again. If it is lost, revoke the key and create a new one.",
}: {
  secret: string;
  /** What happens if it is lost (the default speaks of API keys). */
  note?: string;
}) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const warningId = useId();

  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      ref.current?.focus();
      ref.current?.select();
      setCopied("no");
    }
  };

  return (
    <div className="secret-box" data-testid="api-key-secret-box">
      <div className="notice notice-warning" id={warningId}>
        <strong>Copy this secret now: it is shown only once.</strong> {note}
      </div>
      <label htmlFor={inputId} className="field-label">
        Secret
      </label>
      <div className="secret-row">
        <input
          id={inputId}
          ref={ref}
          type="text"
          readOnly
          value={secret}
          spellCheck={false}
          aria-describedby={warningId}
          onFocus={(e) => e.target.select()}
          className="secret-input"
          data-testid="api-key-secret"
        />
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p className="small muted" role="status" data-testid="copy-status">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "no" &&
          "Could not copy automatically: the secret is selected, press Ctrl+C (⌘C on a Mac)."}
      </p>
    </div>
  );
}
