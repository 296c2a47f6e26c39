import { badInput } from "../../kernel/errors";
import type { RequesterData } from "../incident.entity";
import { text } from "./input";

export interface RequesterInput {
  name: string;
  email?: string | null;
  phone?: string | null;
  organization?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]{3,40}$/;

const optional = (field: string, value: string | null | undefined, max: number) =>
  value == null || value.trim() === "" ? null : text(field, value, max);

/** Who reported the incident, checked: a name, and contact details that look like what they claim. */
export function requesterOf(input: RequesterInput): RequesterData {
  const email = optional("requester.email", input.email, 320);
  if (email !== null && !EMAIL.test(email)) {
    throw badInput(
      "requester.email",
      `"${email}" is not an email address; give one like name@example.com or leave it out.`,
    );
  }
  const phone = optional("requester.phone", input.phone, 40);
  if (phone !== null && !PHONE.test(phone)) {
    throw badInput(
      "requester.phone",
      `"${phone}" is not a phone number; use digits, spaces and an optional leading +.`,
    );
  }
  return {
    name: text("requester.name", input.name, 200),
    email,
    phone,
    organization: optional("requester.organization", input.organization, 200),
  };
}
