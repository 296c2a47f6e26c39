import { useState } from "react";
import { mutate } from "../../graphql-client";
import type { Category } from "../admin-queries";
import { CREATE_CATEGORY } from "../admin-queries";
import { useSubmit } from "../form-state";
import { ModalForm } from "../ModalForm";
import { LoadState, Section } from "./Section";

/**
 * The classification tree (admins): categories and one level of subcategories. Once any exists,
 * resolving an incident needs a category.
 */
export function CategoriesSection({
  categories,
  error,
  onChanged,
}: {
  categories: Category[] | null;
  error: string | null;
  onChanged: () => void;
}) {
  const [creating, setCreating] = useState(false);
  const [done, setDone] = useState("");
  return (
    <Section id="categories" title="Categories" actionLabel="New category" onAction={() => setCreating(true)}>
      <p className="small muted" role="status" data-testid="categories-status">
        {done}
      </p>
      <LoadState error={error} loaded={categories !== null} what="categories" />
      {categories && categories.length === 0 && (
        <p className="muted">
          No categories yet. Once you add one, resolving an incident needs a category (for reports and service
          levels).
        </p>
      )}
      {categories && categories.length > 0 && (
        <ul className="admin-list category-tree" data-testid="category-tree">
          {categories.map((c) => (
            <li key={c.id} className="admin-item" data-testid={`category-${c.name}`}>
              <h3 className="admin-item-title">{c.name}</h3>
              {c.children.length > 0 && (
                <ul className="member-list" aria-label={`Subcategories of ${c.name}`}>
                  {c.children.map((child) => (
                    <li key={child.id} className="member">
                      {child.name}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {creating && (
        <CreateCategoryForm
          parents={categories ?? []}
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setDone(`Added ${c.path}.`);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function CreateCategoryForm({
  parents,
  onClose,
  onCreated,
}: {
  parents: Category[];
  onClose: () => void;
  onCreated: (category: Category) => void;
}) {
  const [name, setName] = useState("");
  const [parentId, setParentId] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = () =>
    run(async () => {
      const { createCategory } = await mutate(CREATE_CATEGORY, {
        name: name.trim(),
        parentId: parentId || null,
      });
      onCreated(createCategory);
    });
  return (
    <ModalForm
      title="New category"
      testId="create-category-dialog"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error?.message}
      errorTestId="create-category-error"
      submitLabel="Add category"
    >
      <label className="field">
        <span className="field-label">Name</span>
        <input type="text" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">Under</span>
        <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
          <option value="">Nothing: a top-level category</option>
          {parents.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <span className="field-help">Two levels: a category and its subcategories.</span>
      </label>
    </ModalForm>
  );
}
