// Outgoing mail as features use it (dependency rule: .dependency-cruiser.cjs).
export { type Mail, Mailer } from "./mailer";
