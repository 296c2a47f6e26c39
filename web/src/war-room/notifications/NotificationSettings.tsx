import { useEffect, useState } from "react";
import { mutate, query, toRequestError } from "../../graphql-client";
import { Modal } from "../../shared/Modal";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { NOTIFICATION_PREFERENCES, type Preferences, SET_NOTIFICATION_PREFERENCES } from "./queries";

/**
 * Your own channels: notifications always appear in the war room; email copies can be switched off
 * as a whole or per kind. Saved with setNotificationPreferences.
 */
export function NotificationSettings({ onClose }: { onClose: () => void }) {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [email, setEmail] = useState(true);
  const [muted, setMuted] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();

  useEffect(() => {
    query(NOTIFICATION_PREFERENCES)
      .then(({ notificationPreferences: p }) => {
        setPrefs(p);
        setEmail(p.email);
        setMuted(p.mutedEmailKinds);
      })
      .catch((e) => setLoadError(toRequestError(e).message));
  }, []);

  if (!prefs) {
    return (
      <Modal title="Notification settings" onClose={onClose} testId="notification-settings">
        <p className={loadError ? "form-error" : "muted"} role={loadError ? "alert" : "status"}>
          {loadError ?? "Loading…"}
        </p>
      </Modal>
    );
  }

  const submit = () =>
    run(async () => {
      const { setNotificationPreferences: p } = await mutate(SET_NOTIFICATION_PREFERENCES, {
        input: { email, mutedEmailKinds: muted },
      });
      setPrefs(p);
      setSaved(true);
    });

  return (
    <ModalForm
      title="Notification settings"
      testId="notification-settings"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="notification-settings-error"
      submitLabel="Save"
    >
      <p className="small muted">Notifications always appear under the bell in the war room.</p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={email}
          onChange={(e) => {
            setEmail(e.target.checked);
            setSaved(false);
          }}
          data-testid="pref-email"
        />{" "}
        Also send them to me by email
      </label>
      <fieldset className="pref-kinds" disabled={!email}>
        <legend>Email me when…</legend>
        {prefs.kinds.map((k) => (
          <label key={k.kind} className="checkbox">
            <input
              type="checkbox"
              checked={!muted.includes(k.kind)}
              onChange={(e) => {
                setMuted((m) => (e.target.checked ? m.filter((x) => x !== k.kind) : [...m, k.kind]));
                setSaved(false);
              }}
              data-testid={`pref-kind-${k.kind}`}
            />{" "}
            {k.label}
          </label>
        ))}
      </fieldset>
      {saved && (
        <p className="notice notice-ok" role="status" data-testid="notification-settings-saved">
          Saved.
        </p>
      )}
    </ModalForm>
  );
}
