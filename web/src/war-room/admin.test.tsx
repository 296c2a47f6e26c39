// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Role, ServiceStatus } from "../../../server/domain/vocabulary";
import { GraphQLRequestError } from "../graphql-client";
import type { CatalogService } from "../shared/types";
import { AdminPage, CreateUserForm, ROLE_HELP, SecretBox } from "./AdminPage";
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
    const incidentEvent = { seq: "5", kind: "INCIDENT_UPDATED", at: "2025-01-01T00:00:00Z", service: null };
    expect(applyServiceEvent(list, incidentEvent)).toBe(list);
    const moved = applyServiceEvent(list, {
      seq: "6",
      kind: "SERVICE_STATUS_CHANGED",
      at: "2025-01-01T00:00:00Z",
      service: service({ status: ServiceStatus.PARTIAL_OUTAGE, version: 2 }),
    });
    expect(moved[0].status).toBe(ServiceStatus.PARTIAL_OUTAGE);
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
    expect(client.mutate.mock.calls[0][1]).toEqual({ serviceId: "s1", status: ServiceStatus.MAJOR_OUTAGE });
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
    expect(client.mutate.mock.calls[0][1]).toEqual({ input: { name: "Second website", slug: "website" } });
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
    expect(client.mutate.mock.calls[0][1]).toEqual({
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
    expect(client.mutate.mock.calls[0][1]).toEqual({
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
