import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { mutate, publicQuery, toRequestError } from "../graphql-client";
import { Modal } from "../shared/Modal";
import { SUBSCRIBE_EMAIL, SUBSCRIBE_SERVICES_QUERY, type SubscribeService } from "./queries";
import { groupServices } from "./status-state";

/** The feeds and calendar a reader can follow without giving an address (also linked from <head>). */
export function FeedLinks({ className = "feed-links" }: { className?: string }) {
  return (
    <p className={className} data-testid="feed-links">
      <span>Follow in a feed reader:</span> <a href="/history.atom">Atom feed</a>
      <span aria-hidden="true"> · </span>
      <a href="/history.rss">RSS feed</a>
      <span aria-hidden="true"> · </span>
      <a href="/maintenance.ics">Maintenance calendar (iCal)</a>
    </p>
  );
}

/** The "Get updates" button of the public header; the dialog opens on click (client only). */
export function GetUpdatesButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-primary button-small get-updates-button"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        data-testid="get-updates"
      >
        Get updates
      </button>
      {open && <GetUpdatesDialog onClose={() => setOpen(false)} />}
    </>
  );
}

type Field = "email" | "serviceIds";
interface Problem {
  field: Field | null;
  message: string;
}

/**
 * Subscribe by email to all services or a chosen few (grouped as on the page). The server answers
 * the same for a known and an unknown address, and so does this dialog: "check your inbox". Refusals
 * name the field (BAD_USER_INPUT) or say when to try again (RATE_LIMITED).
 */
export function GetUpdatesDialog({ onClose }: { onClose: () => void }) {
  const [email, setEmail] = useState("");
  const [scope, setScope] = useState<"all" | "some">("all");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set());
  const [services, setServices] = useState<SubscribeService[] | null>(null);
  const [servicesError, setServicesError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const ids = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const servicesErrorRef = useRef<HTMLSpanElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let stopped = false;
    publicQuery(SUBSCRIBE_SERVICES_QUERY)
      .then((d) => !stopped && setServices(d.services))
      .catch((e) => !stopped && setServicesError(toRequestError(e).message));
    return () => {
      stopped = true;
    };
  }, []);

  useEffect(() => {
    if (sentTo) doneRef.current?.focus();
  }, [sentTo]);

  const fail = (p: Problem) => setProblem(p);
  // Once a problem is on screen, focus goes where it is: the address field, or the message saying
  // what went wrong (after the render that shows it, so the element exists).
  useEffect(() => {
    if (!problem) return;
    const target: { current: HTMLElement | null } =
      problem.field === "email" ? emailRef : problem.field === "serviceIds" ? servicesErrorRef : alertRef;
    target.current?.focus();
  }, [problem]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const address = email.trim();
    if (!address) return fail({ field: "email", message: "Enter your email address." });
    if (scope === "some" && chosen.size === 0)
      return fail({
        field: "serviceIds",
        message: 'Choose at least one service, or pick "All services".',
      });
    setBusy(true);
    setProblem(null);
    try {
      await mutate(SUBSCRIBE_EMAIL, {
        input: { email: address, serviceIds: scope === "all" ? [] : [...chosen] },
      });
      setSentTo(address);
    } catch (e) {
      const refusal = toRequestError(e);
      const field = refusal.extensions.field;
      if (refusal.code === "BAD_USER_INPUT" && (field === "email" || field === "serviceIds"))
        fail({ field, message: refusal.message });
      else fail({ field: null, message: refusal.message });
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <Modal title="Get updates" onClose={onClose} testId="get-updates-dialog">
        <div
          ref={doneRef}
          tabIndex={-1}
          className="notice notice-ok get-updates-done"
          role="status"
          data-testid="get-updates-done"
        >
          <strong>Check your inbox to confirm.</strong> We sent a confirmation link to{" "}
          <span className="nowrap">{sentTo}</span> unless one went there in the last day. Updates start once
          you open the link; nothing is sent before.
        </div>
        <p className="small muted">
          Nothing arrived after a few minutes? Look in your spam folder. Every update mail has a link to
          choose services or unsubscribe.
        </p>
        <FeedLinks />
        <div className="form-actions get-updates-actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Modal>
    );
  }

  const emailError = problem?.field === "email" ? problem.message : null;
  const servicesProblem = problem?.field === "serviceIds" ? problem.message : null;
  const generalError = problem && problem.field === null ? problem.message : null;
  const groups = groupServices(services ?? []);

  return (
    <Modal title="Get updates" onClose={onClose} testId="get-updates-dialog">
      <form className="form" noValidate onSubmit={submit} aria-describedby={`${ids}-intro`}>
        <p id={`${ids}-intro`} className="small muted get-updates-intro">
          Get an email when an incident is published, updated or resolved, and about maintenance. No account
          needed; you confirm by a link we mail you.
        </p>
        <div className="field">
          <label htmlFor={`${ids}-email`} className="field-label">
            Email address
          </label>
          <input
            ref={emailRef}
            id={`${ids}-email`}
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${ids}-email-error` : undefined}
          />
          {emailError && (
            <span className="field-error" id={`${ids}-email-error`} data-testid="get-updates-email-error">
              {emailError}
            </span>
          )}
        </div>
        <fieldset
          className="field"
          aria-describedby={servicesProblem ? `${ids}-services-error` : undefined}
          aria-invalid={servicesProblem ? true : undefined}
        >
          <legend className="field-label">Which services</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="scope"
              value="all"
              checked={scope === "all"}
              onChange={() => setScope("all")}
            />
            All services
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="scope"
              value="some"
              checked={scope === "some"}
              onChange={() => setScope("some")}
            />
            Only the services I choose
          </label>
          {scope === "some" && (
            <div className="service-choice" data-testid="get-updates-services">
              {servicesError && (
                <p className="notice notice-error" role="alert">
                  The services could not be loaded ({servicesError}). Pick "All services", or try again.
                </p>
              )}
              {!services && !servicesError && <p className="muted small">Loading services…</p>}
              {services?.length === 0 && <p className="muted small">No services are listed yet.</p>}
              {groups.map((group) => (
                <fieldset key={group.name ?? ""} className="service-choice-group">
                  <legend>{group.name ?? "Services"}</legend>
                  <div className="checkbox-grid">
                    {group.services.map((s) => (
                      <label key={s.id} className="checkbox">
                        <input
                          type="checkbox"
                          name="serviceIds"
                          value={s.id}
                          checked={chosen.has(s.id)}
                          onChange={(e) => {
                            if (problem?.field === "serviceIds") setProblem(null);
                            setChosen((old) => {
                              const next = new Set(old);
                              if (e.target.checked) next.add(s.id);
                              else next.delete(s.id);
                              return next;
                            });
                          }}
                        />
                        {s.name}
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
            </div>
          )}
          {servicesProblem && (
            <span
              ref={servicesErrorRef}
              tabIndex={-1}
              role="alert"
              className="field-error"
              id={`${ids}-services-error`}
              data-testid="get-updates-services-error"
            >
              {servicesProblem}
            </span>
          )}
        </fieldset>
        {generalError && (
          <div
            ref={alertRef}
            tabIndex={-1}
            className="form-error"
            role="alert"
            data-testid="get-updates-error"
          >
            {generalError}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            {busy ? "Subscribing…" : "Subscribe"}
          </button>
        </div>
      </form>
      <FeedLinks />
    </Modal>
  );
}
