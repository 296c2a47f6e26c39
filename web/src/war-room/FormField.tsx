import { type ReactNode, useId } from "react";

export interface ControlProps {
  id: string;
  "aria-describedby"?: string;
}

/**
 * A labelled control with help text that describes it (aria-describedby) without becoming part of
 * its name, so "Name" stays "Name" even when the help below mentions a name.
 */
export function FormField({
  label,
  help,
  children,
}: {
  label: string;
  help?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, "aria-describedby": help ? helpId : undefined })}
      {help && (
        <span className="field-help" id={helpId}>
          {help}
        </span>
      )}
    </div>
  );
}
