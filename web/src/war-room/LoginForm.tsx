import { type FormEvent, useState } from "react";
import { useDocumentTitle } from "../shared/hooks";
import { useSubmit } from "./form-state";
import { FormError } from "./ModalForm";
import { useSession } from "./session";

export function LoginForm() {
  useDocumentTitle("Sign in · Beacon war room");
  const { signIn, endedBecause } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useSubmit();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => signIn(email.trim(), password));
  };

  return (
    <main id="main" className="login-page">
      <form
        className="card login-card"
        onSubmit={submit}
        aria-labelledby="login-title"
        data-testid="login-form"
      >
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true" />
          Beacon <span className="brand-sub">War room</span>
        </div>
        <h1 id="login-title" className="login-title">
          Sign in
        </h1>
        <p className="muted">For responders, agents and incident managers.</p>
        {endedBecause && (
          <p className="login-notice" role="status" data-testid="session-ended">
            {endedBecause}
          </p>
        )}
        <label className="field">
          <span className="field-label">Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <FormError error={error?.message} testId="login-error" />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          Sign in
        </button>
        <p className="muted small">
          Looking for the public status page? <a href="/">Current status</a>
        </p>
      </form>
    </main>
  );
}
