import { useCallback, useEffect, useId, useState } from "react";
import { query, toRequestError } from "../../graphql-client";
import { Modal } from "../../shared/Modal";
import { Time } from "../../shared/Time";
import { type MailMessage, OUTGOING_MAIL_QUERY } from "../subscription-queries";
import { ActionsHeader, LoadState, Section } from "./Section";

/**
 * The local mail outbox (admins): without SMTP_URL every mail Beacon would send is kept, exactly as
 * it would have gone out; read one as text or as its HTML (in a sandboxed frame: no scripts, no
 * access to this page). With SMTP_URL set, mails are sent and a note says so.
 */
export function MailOutboxSection({ refreshKey = 0 }: { refreshKey?: number }) {
  const [mails, setMails] = useState<MailMessage[] | null>(null);
  const [usesSmtp, setUsesSmtp] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState<MailMessage | null>(null);

  const load = useCallback(async () => {
    try {
      const d = await query(OUTGOING_MAIL_QUERY, { first: 100 });
      setMails(d.outgoingMail);
      setUsesSmtp(d.mailUsesSmtp);
      setError(null);
    } catch (e) {
      setError(toRequestError(e).message);
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey asks for a reload
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <Section id="mail-outbox" title="Mail outbox" actionLabel="Refresh" onAction={() => void load()}>
      {usesSmtp === true && (
        <p className="notice small" data-testid="mail-smtp-note">
          <strong>SMTP is configured</strong> (<code>SMTP_URL</code>): mails are sent to the SMTP server and
          not kept here. Anything listed was kept before SMTP was set up.
        </p>
      )}
      {usesSmtp === false && (
        <p className="small muted" data-testid="mail-outbox-note">
          No <code>SMTP_URL</code> is set, so nothing is sent: every mail Beacon would send (subscription
          confirmations, updates) is kept here, exactly as it would have gone out. Newest first.
        </p>
      )}
      <LoadState error={error} loaded={mails !== null} what="the mail outbox" />
      {mails && mails.length === 0 && (
        <p className="muted" data-testid="mail-outbox-empty">
          {usesSmtp
            ? "No mail kept here."
            : "No mail yet. A subscription on the status page sends the first one."}
        </p>
      )}
      {mails && mails.length > 0 && (
        <table className="admin-table" data-testid="mail-outbox-table">
          <caption className="sr-only">Mails, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Time</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {mails.map((m) => (
              <tr key={m.id} data-testid="mail">
                <th scope="row">{m.subject}</th>
                <td>{m.to}</td>
                <td>
                  <Time iso={m.at} relativeOnly />
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Read "${m.subject}" to ${m.to}`}
                    onClick={() => setReading(m)}
                  >
                    Read
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reading && <MailReader mail={reading} onClose={() => setReading(null)} />}
    </Section>
  );
}

/** One mail: its text, or its HTML in a sandboxed frame (srcdoc; no scripts, no same-origin access). */
function MailReader({ mail, onClose }: { mail: MailMessage; onClose: () => void }) {
  const [view, setView] = useState<"text" | "html">("text");
  const ids = useId();
  return (
    <Modal title={mail.subject} onClose={onClose} testId="mail-reader" wide>
      <dl className="mail-meta">
        <dt>To</dt>
        <dd>{mail.to}</dd>
        <dt>Time</dt>
        <dd>
          <Time iso={mail.at} />
        </dd>
        <dt>State</dt>
        <dd>{mail.sent ? "Sent over SMTP" : "Kept in the local outbox (not sent)"}</dd>
      </dl>
      {mail.html && (
        <div className="segmented" role="radiogroup" aria-label="Show the mail as">
          <label className="checkbox">
            <input
              type="radio"
              name={`${ids}-view`}
              checked={view === "text"}
              onChange={() => setView("text")}
            />
            Text
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name={`${ids}-view`}
              checked={view === "html"}
              onChange={() => setView("html")}
            />
            HTML
          </label>
        </div>
      )}
      {view === "html" && mail.html && (
        <p className="small muted" data-testid="mail-html-note">
          Shown in a sandbox under the war room's security policy: no scripts run, links do not open, and the
          mail's inline styles are not applied (mail clients apply them).
        </p>
      )}
      {view === "html" && mail.html ? (
        <iframe
          className="mail-html"
          title={`HTML of "${mail.subject}"`}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={mail.html}
          data-testid="mail-html"
        />
      ) : (
        <pre className="mail-text" data-testid="mail-text">
          {mail.text}
        </pre>
      )}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
