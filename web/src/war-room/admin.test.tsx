// @vitest-environment jsdom

import type { DocumentNode } from "@0no-co/graphql.web";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiScope, Role, ServiceStatus, StatusEventKind } from "../../../server/domain/vocabulary";
import { documentText } from "../graphql";
import { GraphQLRequestError } from "../graphql-client";
import {
  AdminPage,
  CreateUserForm,
  EditPersonForm,
  mayAdminister,
  ROLE_HELP,
  SecretBox,
  SetActiveDialog,
} from "./AdminPage";
import type { ApiKey, CatalogService, Person } from "./admin-queries";
import { ChangePasswordForm, PASSWORDS_DIFFER } from "./ChangePasswordForm";
import { CatalogServiceRow, ServiceForm, StatusPicker } from "./ServicesPage";
import {
  applyServiceEvent,
  createInput,
  formValuesOf,
  groupNames,
  updateInput,
  upsertService,
} from "./services-state";

const client = vi.hoisted(() => ({ query: vi.fn(), mutate: vi.fn() }));
vi.mock("../graphql-client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../graphql-client")>()),
  query: client.query,
  mutate: client.mutate,
}));

beforeEach(() => {
  client.query.mockReset();
  client.mutate.mockReset();
});
afterEach(cleanup);

const service = (over: Partial<CatalogService> = {}): CatalogService => ({
  id: "s1",
  slug: "checkout-api",
  name: "Checkout API",
  description: null,
  group: "Payments",
  status: ServiceStatus.OPERATIONAL,
  updatedAt: "2025-01-01T00:00:00Z",
  position: 10,
  version: 1,
  ...over,
});

const refusal = (message: string, code = "BAD_USER_INPUT") =>
  new GraphQLRequestError([{ message, extensions: { code } }]);

describe("service catalog state", () => {
  it("keeps the newest version of each service, in position then name order", () => {
    const a = service({ id: "a", name: "Website", position: 20 });
    const b = service({ id: "b", name: "API", position: 20 });
    const c = service({ id: "c", name: "Zebra", position: 5 });
    let list = upsertService(upsertService(upsertService([], a), b), c);
    expect(list.map((s) => s.name)).toEqual(["Zebra", "API", "Website"]);

    list = upsertService(list, { ...a, status: ServiceStatus.MAJOR_OUTAGE, version: 3 });
    // A replayed older version (or a late mutation answer) does not undo the newer one.
    list = upsertService(list, { ...a, status: ServiceStatus.DEGRADED_PERFORMANCE, version: 2 });
    expect(list.find((s) => s.id === "a")?.status).toBe(ServiceStatus.MAJOR_OUTAGE);
    expect(list).toHaveLength(3);
  });

  it("applies service events and ignores incident events", () => {
    const list = [service()];
    const incidentEvent = {
      seq: "5",
      kind: StatusEventKind.INCIDENT_UPDATED,
      at: "2025-01-01T00:00:00Z",
      service: null,
    };
    expect(applyServiceEvent(list, incidentEvent)).toBe(list);
    const moved = applyServiceEvent(list, {
      seq: "6",
      kind: StatusEventKind.SERVICE_STATUS_CHANGED,
      at: "2025-01-01T00:00:00Z",
      service: service({ status: ServiceStatus.PARTIAL_OUTAGE, version: 2 }),
    });
    expect(moved[0]?.status).toBe(ServiceStatus.PARTIAL_OUTAGE);
  });

  it("sends only what the admin changed; a blank group or description clears it", () => {
    const before = formValuesOf(service({ description: "Payments API", position: 10 }));
    expect(updateInput(before, before)).toEqual({});
    expect(updateInput(before, { ...before, name: " Checkout ", group: "", description: "" })).toEqual({
      name: "Checkout",
      group: null,
      description: null,
    });
    expect(updateInput(before, { ...before, position: "3" })).toEqual({ position: 3 });
  });

  it("leaves blanks out of a new service (the server picks slug and position)", () => {
    expect(createInput({ ...formValuesOf(), name: "Search" })).toEqual({ name: "Search" });
    expect(groupNames([{ group: "B" }, { group: null }, { group: "A" }, { group: "B " }])).toEqual([
      "A",
      "B",
    ]);
  });
});

describe("Services page parts", () => {
  it("a read-only row shows the status in words and no picker", () => {
    render(
      <ul>
        <CatalogServiceRow
          service={service({ status: ServiceStatus.PARTIAL_OUTAGE })}
          canSetStatus={false}
          canEdit={false}
          onChanged={() => {}}
          onEdit={() => {}}
          onHistory={() => {}}
        />
      </ul>,
    );
    expect(screen.getByTestId("service-status").textContent).toBe("Partial outage");
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(screen.queryByRole("button", { name: /Edit/ })).toBeNull();
    expect(screen.getByRole("button", { name: "History of Checkout API" })).toBeTruthy();
  });

  it("the picker is labelled, sets a status only on purpose, and reports the answer", async () => {
    const onChanged = vi.fn();
    const answer = service({ status: ServiceStatus.MAJOR_OUTAGE, version: 2 });
    client.mutate.mockResolvedValue({ setServiceStatus: answer });
    render(<StatusPicker service={service()} onChanged={onChanged} />);
    const select = screen.getByLabelText("Status of Checkout API") as HTMLSelectElement;
    const button = screen.getByRole("button", { name: "Set status" });
    expect(button.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(button);
    expect(client.mutate).not.toHaveBeenCalled();

    fireEvent.change(select, { target: { value: ServiceStatus.MAJOR_OUTAGE } });
    expect(button.getAttribute("aria-disabled")).toBeNull();
    fireEvent.click(button);
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith(answer));
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({ serviceId: "s1", status: ServiceStatus.MAJOR_OUTAGE });
  });

  it("shows a refused status change verbatim", async () => {
    client.mutate.mockRejectedValue(
      refusal("Only an admin or an incident manager may change a service's status.", "FORBIDDEN"),
    );
    render(<StatusPicker service={service()} onChanged={() => {}} />);
    fireEvent.change(screen.getByLabelText("Status of Checkout API"), {
      target: { value: ServiceStatus.MAJOR_OUTAGE },
    });
    fireEvent.click(screen.getByRole("button", { name: "Set status" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Only an admin or an incident manager may change a service's status.");
  });

  it("the service form shows the server's refusal as it is and keeps what was typed", async () => {
    const message = 'The slug "website" is already used by "Website"; choose another.';
    client.mutate.mockRejectedValue(refusal(message));
    render(<ServiceForm groups={["Payments"]} onClose={() => {}} onSaved={() => {}} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Second website" } });
    fireEvent.change(screen.getByLabelText("Slug (optional)"), { target: { value: "website" } });
    fireEvent.click(screen.getByRole("button", { name: "Add service" }));
    expect((await screen.findByTestId("service-form-error")).textContent).toBe(message);
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({ input: { name: "Second website", slug: "website" } });
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Second website");
  });

  it("an edit sends the version the admin saw, and only the changed fields", async () => {
    const onSaved = vi.fn();
    client.mutate.mockResolvedValue({ updateService: service({ name: "Checkout", version: 5 }) });
    render(
      <ServiceForm service={service({ version: 4 })} groups={[]} onClose={() => {}} onSaved={onSaved} />,
    );
    expect(screen.getByRole("dialog").getAttribute("aria-labelledby")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Checkout" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({
      id: "s1",
      input: { name: "Checkout" },
      expectedVersion: 4,
    });
  });
});

describe("Admin page parts", () => {
  it("tells anyone but an admin that the page is for admins, without asking the server", () => {
    render(
      <AdminPage actor={{ id: "u1", role: Role.AGENT, queueIds: [] }} self={{ id: "u1", name: "Ann" }} />,
    );
    expect(screen.getByTestId("only-admins").textContent).toMatch(/Only admins/);
    expect(client.query).not.toHaveBeenCalled();
  });

  it("the person form explains the picked role and shows a refusal verbatim", async () => {
    client.mutate.mockRejectedValue(refusal("password must be at least 8 characters long."));
    render(<CreateUserForm onClose={() => {}} onCreated={() => {}} />);
    const role = screen.getByLabelText("Role");
    expect(role.getAttribute("aria-describedby")).toBeTruthy();
    fireEvent.change(role, { target: { value: Role.INCIDENT_MANAGER } });
    expect(screen.getByText(ROLE_HELP[Role.INCIDENT_MANAGER])).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Ivy" } });
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "ivy@example.com" } });
    fireEvent.change(screen.getByLabelText("Initial password"), { target: { value: "short" } });
    fireEvent.submit(screen.getByRole("button", { name: "Add person" }).closest("form")!);
    expect((await screen.findByTestId("create-user-error")).textContent).toBe(
      "password must be at least 8 characters long.",
    );
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({
      input: { name: "Ivy", email: "ivy@example.com", password: "short", role: Role.INCIDENT_MANAGER },
    });
  });

  it("shows the secret once, read-only and focused, with a warning and a copy button", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<SecretBox secret="bk_abc_s3cr3t" />);
    const box = screen.getByLabelText("Secret") as HTMLInputElement;
    expect(box.value).toBe("bk_abc_s3cr3t");
    expect(box.readOnly).toBe(true);
    expect(document.activeElement).toBe(box);
    expect(screen.getByText(/shown only once/)).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    });
    expect(writeText).toHaveBeenCalledWith("bk_abc_s3cr3t");
    expect(screen.getByTestId("copy-status").textContent).toBe("Copied to the clipboard.");
  });

  it("when the clipboard is refused, selects the secret and says how to copy it", async () => {
    const writeText = vi.fn().mockRejectedValue(new Error("denied"));
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<SecretBox secret="bk_abc_s3cr3t" />);
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    });
    expect(screen.getByTestId("copy-status").textContent).toMatch(/press Ctrl\+C/);
    expect(document.activeElement).toBe(screen.getByLabelText("Secret"));
  });
});

const person = (over: Partial<Person> = {}): Person => ({
  id: "u2",
  name: "Rita Responder",
  email: "rita@example.com",
  role: Role.RESPONDER,
  active: true,
  ...over,
});

const apiKey = (over: Partial<ApiKey> = {}): ApiKey => ({
  id: "k1",
  name: "Uptime monitor",
  prefix: "abc123",
  scopes: [ApiScope.READ],
  createdAt: "2025-01-01T00:00:00Z",
  lastUsedAt: null,
  revokedAt: null,
  user: { id: "u2", name: "Rita Responder" },
  ...over,
});

/** Answers the Admin page's list queries by operation, and records which ones were asked. */
function answerAdminQueries(lists: { users?: Person[]; apiKeys?: ApiKey[] }) {
  client.query.mockImplementation(async (typed: DocumentNode) => {
    const document = documentText(typed);
    if (document.includes("AdminUsers")) return { users: lists.users ?? [] };
    if (document.includes("AdminQueues"))
      return {
        queues: [{ id: "q1", name: "Database on-call", members: [{ id: "u2", name: "Rita Responder" }] }],
      };
    if (document.includes("AdminApiKeys")) return { apiKeys: lists.apiKeys ?? [] };
    throw new Error(`unexpected query ${document}`);
  });
  const asked = (name: string) => client.query.mock.calls.filter(([d]) => documentText(d).includes(name));
  return { asked };
}

describe("Change password", () => {
  const fill = (current: string, next: string, confirm: string) => {
    fireEvent.change(screen.getByLabelText("Current password"), { target: { value: current } });
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: next } });
    fireEvent.change(screen.getByLabelText("Confirm new password"), { target: { value: confirm } });
    fireEvent.submit(screen.getByRole("button", { name: "Change password" }).closest("form")!);
  };

  it("checks the confirmation locally and asks the server nothing when it differs", async () => {
    render(<ChangePasswordForm onClose={() => {}} />);
    expect(screen.getByRole("dialog").getAttribute("aria-labelledby")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Current password"));
    fill("old-password", "new-password-1", "new-password-2");
    expect((await screen.findByTestId("change-password-error")).textContent).toBe(PASSWORDS_DIFFER);
    expect(screen.getByLabelText("Confirm new password").getAttribute("aria-invalid")).toBe("true");
    expect(client.mutate).not.toHaveBeenCalled();
  });

  it("shows the server's refusal verbatim and keeps the dialog open", async () => {
    client.mutate.mockRejectedValue(refusal("The current password is not right; nothing was changed."));
    render(<ChangePasswordForm onClose={() => {}} />);
    fill("wrong-password", "new-password-1", "new-password-1");
    expect((await screen.findByTestId("change-password-error")).textContent).toBe(
      "The current password is not right; nothing was changed.",
    );
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({
      currentPassword: "wrong-password",
      newPassword: "new-password-1",
    });
  });

  it("says it worked, and that other sessions were signed out", async () => {
    client.mutate.mockResolvedValue({ changePassword: true });
    const onClose = vi.fn();
    render(<ChangePasswordForm onClose={onClose} />);
    fill("old-password", "new-password-1", "new-password-1");
    const done = await screen.findByTestId("change-password-done");
    expect(done.textContent).toMatch(/password is changed/);
    expect(done.textContent).toMatch(/signed out/);
    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(onClose).toHaveBeenCalled();
  });
});

describe("Admin page: who sees which section", () => {
  it("offers the page to admins and incident managers only", () => {
    expect(mayAdminister({ id: "u", role: Role.ADMIN, queueIds: [] })).toBe(true);
    expect(mayAdminister({ id: "u", role: Role.INCIDENT_MANAGER, queueIds: [] })).toBe(true);
    expect(mayAdminister({ id: "u", role: Role.AGENT, queueIds: [] })).toBe(false);
    expect(mayAdminister({ id: "u", role: Role.RESPONDER, queueIds: ["q1"] })).toBe(false);
  });

  it("an incident manager gets the queues and nothing else, and is never asked about keys", async () => {
    const { asked } = answerAdminQueries({ users: [person()] });
    render(
      <AdminPage
        actor={{ id: "m1", role: Role.INCIDENT_MANAGER, queueIds: [] }}
        self={{ id: "m1", name: "Max" }}
      />,
    );
    await screen.findByTestId("queue-Database on-call");
    expect(screen.getByRole("button", { name: "New queue" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove Rita Responder from Database on-call" })).toBeTruthy();
    expect(screen.queryByTestId("admin-people")).toBeNull();
    expect(screen.queryByTestId("admin-api-keys")).toBeNull();
    expect(screen.queryByRole("button", { name: "Add person" })).toBeNull();
    expect(asked("AdminApiKeys")).toHaveLength(0);
    // Only active people, for the member picker.
    expect(asked("AdminUsers")[0]?.[1]).toEqual({ includeInactive: false });
  });

  it("an admin sees everyone with their status, cannot deactivate themselves, and sees whom keys act as", async () => {
    answerAdminQueries({
      users: [
        person({ id: "a1", name: "Ada Admin", email: "ada@example.com", role: Role.ADMIN }),
        person(),
        person({ id: "u3", name: "Olga Old", email: "olga@example.com", active: false }),
      ],
      apiKeys: [apiKey(), apiKey({ id: "k2", name: "Old feed", user: { id: "u3", name: "Olga Old" } })],
    });
    render(
      <AdminPage actor={{ id: "a1", role: Role.ADMIN, queueIds: [] }} self={{ id: "a1", name: "Ada" }} />,
    );
    const rita = await screen.findByTestId("person-rita@example.com");
    expect(within(rita).getByTestId("person-status").textContent).toBe("Active");
    expect(within(rita).getByRole("button", { name: "Deactivate Rita Responder" })).toBeTruthy();
    const olga = screen.getByTestId("person-olga@example.com");
    expect(within(olga).getByTestId("person-status").textContent).toBe("Inactive");
    expect(within(olga).getByRole("button", { name: "Reactivate Olga Old" })).toBeTruthy();
    const ada = screen.getByTestId("person-ada@example.com");
    expect(within(ada).getByRole("button", { name: "Edit Ada Admin" })).toBeTruthy();
    expect(within(ada).queryByRole("button", { name: /Deactivate/ })).toBeNull();

    const key = await screen.findByTestId("api-key-Uptime monitor");
    expect(within(key).getByTestId("api-key-user").textContent).toBe("Rita Responder");
    expect(within(screen.getByTestId("api-key-Old feed")).getByTestId("api-key-user").textContent).toMatch(
      /Olga Old \(deactivated: the key is refused\)/,
    );
    // Inactive people are not offered as new queue members.
    const picker = within(screen.getByTestId("queue-Database on-call")).getByLabelText(
      "Add a member to Database on-call",
    );
    expect(within(picker).queryByText(/Olga Old/)).toBeNull();
  });
});

describe("Admin page: changing people", () => {
  it("an edit sends only what changed", async () => {
    const onSaved = vi.fn();
    client.mutate.mockResolvedValue({ updateUser: person({ role: Role.INCIDENT_MANAGER }) });
    render(<EditPersonForm person={person()} isSelf={false} onClose={() => {}} onSaved={onSaved} />);
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: Role.INCIDENT_MANAGER } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({ id: "u2", input: { role: Role.INCIDENT_MANAGER } });
  });

  it("demoting the last admin shows the server's refusal verbatim", async () => {
    const message = "Ada Admin is the last active admin; make someone else an admin first.";
    client.mutate.mockRejectedValue(refusal(message, "REQUIREMENT_NOT_MET"));
    const admin = person({ id: "a1", name: "Ada Admin", role: Role.ADMIN });
    render(<EditPersonForm person={admin} isSelf onClose={() => {}} onSaved={() => {}} />);
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: Role.AGENT } });
    expect(screen.getByText(/you will no longer be an admin/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect((await screen.findByTestId("edit-person-error")).textContent).toBe(message);
  });

  it("deactivating says it signs them out and stops their keys, then sends active: false", async () => {
    const onDone = vi.fn();
    client.mutate.mockResolvedValue({ updateUser: person({ active: false }) });
    render(<SetActiveDialog person={person()} apiKeys={[apiKey()]} onClose={() => {}} onDone={onDone} />);
    const dialog = screen.getByTestId("set-active-dialog");
    expect(dialog.textContent).toMatch(/signed out everywhere/);
    expect(dialog.textContent).toMatch(/API key acting as them stops working \("Uptime monitor"\)/);
    fireEvent.click(screen.getByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({ id: "u2", input: { active: false } });
  });

  it.each([
    ["REQUIREMENT_NOT_MET", "Ada Admin is the last active admin; make someone else an admin first."],
    ["BAD_USER_INPUT", "You cannot deactivate yourself; ask another admin."],
  ])("a %s refusal to deactivate is shown verbatim", async (code, message) => {
    client.mutate.mockRejectedValue(refusal(message, code));
    render(<SetActiveDialog person={person()} apiKeys={[]} onClose={() => {}} onDone={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Deactivate" }));
    expect((await screen.findByTestId("set-active-error")).textContent).toBe(message);
  });

  it("reactivating says they and their keys get in again", async () => {
    client.mutate.mockResolvedValue({ updateUser: person() });
    render(
      <SetActiveDialog
        person={person({ active: false })}
        apiKeys={[]}
        onClose={() => {}}
        onDone={() => {}}
      />,
    );
    expect(screen.getByTestId("set-active-dialog").textContent).toMatch(/can sign in again/);
    fireEvent.click(screen.getByRole("button", { name: "Reactivate" }));
    await waitFor(() => expect(client.mutate).toHaveBeenCalled());
    expect(client.mutate.mock.calls[0]?.[1]).toEqual({ id: "u2", input: { active: true } });
  });
});
