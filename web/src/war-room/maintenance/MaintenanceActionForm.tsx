import { useState } from "react";
import { mutate } from "../../graphql-client";
import { FormField } from "../FormField";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { CANCEL_MAINTENANCE, POST_MAINTENANCE_UPDATE, type WarMaintenance } from "../maintenance-queries";
import { isRunningWindow } from "../maintenance-state";

/** Post a public update (optionally moving to Verifying) or cancel with a reason, at the version shown. */
export function MaintenanceActionForm({
  window: w,
  action,
  onClose,
  onSaved,
}: {
  window: WarMaintenance;
  action: "update" | "cancel";
  onClose: () => void;
  onSaved: (w: WarMaintenance) => void;
}) {
  const [message, setMessage] = useState("");
  const [verifying, setVerifying] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = () =>
    run(async () => {
      if (action === "cancel") {
        const { cancelMaintenance } = await mutate(CANCEL_MAINTENANCE, {
          id: w.id,
          expectedVersion: w.version,
          reason: message,
        });
        onSaved(cancelMaintenance);
      } else {
        const { postMaintenanceUpdate } = await mutate(POST_MAINTENANCE_UPDATE, {
          id: w.id,
          expectedVersion: w.version,
          message,
          state: verifying ? "VERIFYING" : null,
        });
        onSaved(postMaintenanceUpdate);
      }
    });
  return (
    <ModalForm
      title={action === "cancel" ? `Cancel ${w.title}` : `Post an update on ${w.title}`}
      testId={action === "cancel" ? "cancel-maintenance-dialog" : "maintenance-update-dialog"}
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={
        error?.code === "CONFLICT"
          ? "Someone else changed this window meanwhile; close this, check the window and try again."
          : error?.message
      }
      errorTestId="maintenance-action-error"
      submitLabel={action === "cancel" ? "Cancel the window" : "Post update"}
      danger={action === "cancel"}
    >
      <FormField
        label={action === "cancel" ? "Reason (public)" : "Update (public)"}
        help="Shown on the status page and sent to subscribers."
      >
        {(control) => (
          <textarea
            rows={3}
            required
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            {...control}
          />
        )}
      </FormField>
      {action === "update" && w.state === "IN_PROGRESS" && isRunningWindow(w) && (
        <label className="checkbox">
          <input type="checkbox" checked={verifying} onChange={(e) => setVerifying(e.target.checked)} /> The
          work is done; we are verifying
        </label>
      )}
    </ModalForm>
  );
}
