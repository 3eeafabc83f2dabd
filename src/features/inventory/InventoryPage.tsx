import { Fragment, useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { adjustmentReasonsFor } from '../../../core/inventory/stock';
import { can } from '../../../core/organizations/permissions';
import { workOrderLabel } from '../../../core/work-orders/vocabulary';
import { useWorkspace } from '../../app/workspace-context';
import { client } from '../../lib/amplify-client';
import { errorMessage, hasErrorType, throwOnErrors } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import { AdjustDialog } from './AdjustDialog';
import {
  editFormOf,
  formatMoney,
  itemChanges,
  itemCodeProblem,
  type ItemEditForm,
} from './item-form';
import { isLowStock } from './stock';
import {
  fetchInventoryItem,
  updateInventoryItem,
  useAdjustments,
  useInventory,
  useWorkOrderNumbers,
  type InventoryItem,
} from './use-inventory';
import { useAction } from '../../lib/use-action';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The stock room: items, low stock, receipts, use, counts and each item's ledger. At
 * `/inventory/<id>` (the low-stock email's link) it shows that one item with its ledger.
 */
export function InventoryPage() {
  const { membership } = useWorkspace();
  const { id: focusId } = useParams<{ id: string }>();
  const inventory = useInventory(membership.organizationId);
  const [lowOnly, setLowOnly] = useState(false);
  const [adjusting, setAdjusting] = useState<InventoryItem | null>(null);
  const [counting, setCounting] = useState<InventoryItem | null>(null);
  const [ledgerOf, setLedgerOf] = useState<string | null>(null);
  const [ledgerGeneration, setLedgerGeneration] = useState(0);
  const manages = can(membership.role, 'inventory.adjust');
  const uses = can(membership.role, 'inventory.use');
  // COUNT has its own dialog; the Adjust dialog offers the rest of what the role may do.
  const adjustReasons = adjustmentReasonsFor(membership.role).filter((r) => r !== 'COUNT');

  const lowCount = inventory.items.filter(isLowStock).length;
  const shown = useMemo(
    () => (lowOnly ? inventory.items.filter(isLowStock) : inventory.items),
    [inventory.items, lowOnly],
  );
  const done = (item: InventoryItem) => {
    inventory.replace(item);
    setLedgerGeneration((g) => g + 1);
  };

  const dialogs = (
    <>
      <AdjustDialog
        item={adjusting}
        mode="adjust"
        reasons={adjustReasons}
        onClose={() => setAdjusting(null)}
        onDone={done}
      />
      <AdjustDialog
        item={counting}
        mode="count"
        reasons={[]}
        onClose={() => setCounting(null)}
        onDone={done}
      />
    </>
  );

  if (focusId !== undefined) {
    const item = inventory.items.find((candidate) => candidate.id === focusId);
    return (
      <div className="inventory-page" data-testid="inventory-page">
        <p className="breadcrumb">
          <Link to="/inventory">← Inventory</Link>
        </p>
        {inventory.status === 'loading' && <p className="muted">Loading the item…</p>}
        {inventory.status === 'error' && (
          <section className="card">
            <p className="error" role="alert" data-testid="inventory-error">
              Could not load the inventory: {inventory.error}
            </p>
            <button type="button" onClick={inventory.reload}>
              Try again
            </button>
          </section>
        )}
        {inventory.status === 'ready' && item === undefined && (
          <section className="card" data-testid="inventory-item-missing">
            <h1>Item not found</h1>
            <p>
              This item does not exist or belongs to another organization.{' '}
              <Link to="/inventory">See all items</Link>.
            </p>
          </section>
        )}
        {item !== undefined && (
          <ItemCard
            item={item}
            onAdjust={uses ? () => setAdjusting(item) : undefined}
            onCount={manages ? () => setCounting(item) : undefined}
            onSaved={manages ? inventory.replace : undefined}
            ledgerGeneration={ledgerGeneration}
          />
        )}
        {dialogs}
      </div>
    );
  }

  return (
    <div className="inventory-page" data-testid="inventory-page">
      <section className="card" aria-labelledby="inventory-heading">
        <div className="section-head">
          <h1 id="inventory-heading">Inventory</h1>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={lowOnly}
              onChange={(event) => setLowOnly(event.target.checked)}
              data-testid="low-stock-filter"
            />
            Low stock only ({lowCount})
          </label>
        </div>
        {inventory.status === 'loading' && <p className="muted">Loading the stock…</p>}
        {inventory.status === 'error' && (
          <>
            <p className="error" role="alert" data-testid="inventory-error">
              Could not load the inventory: {inventory.error}
            </p>
            <button type="button" onClick={inventory.reload}>
              Try again
            </button>
          </>
        )}
        {inventory.status === 'ready' && shown.length === 0 && (
          <p className="empty">{lowOnly ? 'Nothing is below its minimum.' : 'No items yet.'}</p>
        )}
        {shown.length > 0 && (
          <div className="table-scroll">
            <table className="inventory-table" data-testid="inventory-table">
              <caption className="visually-hidden">
                Stock items; rows at or below their minimum are marked low
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Item code</th>
                  <th scope="col" className="num">
                    Quantity
                  </th>
                  <th scope="col" className="num">
                    Min
                  </th>
                  <th scope="col">Unit</th>
                  <th scope="col" className="num">
                    Unit cost
                  </th>
                  <th scope="col">Location</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((item) => {
                  const low = isLowStock(item);
                  return (
                    <Fragment key={item.id}>
                      <tr
                        className={low ? 'low-stock' : undefined}
                        data-testid="inventory-row"
                        data-sku={item.sku}
                        data-low={low}
                      >
                        <th scope="row">
                          <Link to={`/inventory/${encodeURIComponent(item.id)}`}>{item.name}</Link>
                        </th>
                        <td data-testid="inventory-code">{item.sku}</td>
                        <td className="num" data-testid="inventory-quantity">
                          {item.quantity}
                          {low && <span className="badge low-badge">Low</span>}
                        </td>
                        <td className="num">{item.minQuantity}</td>
                        <td>{item.unit}</td>
                        <td className="num" data-testid="inventory-unit-cost">
                          {formatMoney(item.unitCost)}
                        </td>
                        <td>{item.storageLocation ?? ''}</td>
                        <td className="row-actions">
                          {uses && (
                            <button
                              type="button"
                              onClick={() => setAdjusting(item)}
                              data-testid="adjust-open"
                            >
                              Adjust<span className="visually-hidden"> {item.name}</span>
                            </button>
                          )}
                          {manages && (
                            <button
                              type="button"
                              onClick={() => setCounting(item)}
                              data-testid="count-open"
                            >
                              Count<span className="visually-hidden"> {item.name}</span>
                            </button>
                          )}
                          <button
                            type="button"
                            aria-expanded={ledgerOf === item.id}
                            onClick={() =>
                              setLedgerOf((open) => (open === item.id ? null : item.id))
                            }
                            data-testid="ledger-toggle"
                          >
                            History<span className="visually-hidden"> of {item.name}</span>
                          </button>
                        </td>
                      </tr>
                      {ledgerOf === item.id && (
                        <tr className="ledger-row">
                          <td colSpan={8}>
                            <Ledger key={ledgerGeneration} itemId={item.id} unit={item.unit} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {manages && (
        <CreateItemForm organizationId={membership.organizationId} onCreated={inventory.replace} />
      )}
      {dialogs}
    </div>
  );
}

/** One item: its stock against its minimum, what the person may do, and its ledger. */
function ItemCard({
  item,
  onAdjust,
  onCount,
  onSaved,
  ledgerGeneration,
}: {
  item: InventoryItem;
  onAdjust: (() => void) | undefined;
  onCount: (() => void) | undefined;
  /** Set for those who may edit the item (managers and up): takes the saved item. */
  onSaved: ((item: InventoryItem) => void) | undefined;
  ledgerGeneration: number;
}) {
  const low = isLowStock(item);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState('');
  return (
    <section
      className="card"
      aria-labelledby="inventory-item-heading"
      data-testid="inventory-item"
      data-sku={item.sku}
      data-low={low}
    >
      <h1 id="inventory-item-heading">{item.name}</h1>
      <dl className="fields">
        <div>
          <dt>Item code</dt>
          <dd data-testid="inventory-code">{item.sku}</dd>
        </div>
        <div>
          <dt>In stock</dt>
          <dd data-testid="inventory-quantity">
            {item.quantity} {item.unit}
            {low && <span className="badge low-badge">Low</span>}
          </dd>
        </div>
        <div>
          <dt>Minimum</dt>
          <dd data-testid="inventory-minimum">
            {item.minQuantity} {item.unit}
          </dd>
        </div>
        <div>
          <dt>Unit cost</dt>
          <dd data-testid="inventory-unit-cost">
            {item.unitCost === null || item.unitCost === undefined
              ? 'Not set'
              : `${formatMoney(item.unitCost)} per ${item.unit}`}
          </dd>
        </div>
        {item.storageLocation && (
          <div>
            <dt>Location</dt>
            <dd>{item.storageLocation}</dd>
          </div>
        )}
      </dl>
      {saved !== '' && !editing && (
        <p className="result" role="status" data-testid="item-edit-result">
          {saved}
        </p>
      )}
      {editing && onSaved !== undefined && (
        <ItemEditor
          item={item}
          onSaved={(next) => {
            onSaved(next);
            setEditing(false);
            setSaved('Changes saved.');
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {(onAdjust !== undefined || onCount !== undefined || onSaved !== undefined) && !editing && (
        <div className="actions">
          {onSaved !== undefined && (
            <button
              type="button"
              onClick={() => {
                setSaved('');
                setEditing(true);
              }}
              data-testid="item-edit-open"
            >
              Edit details
            </button>
          )}
          {onAdjust !== undefined && (
            <button type="button" onClick={onAdjust} data-testid="adjust-open">
              Adjust
            </button>
          )}
          {onCount !== undefined && (
            <button type="button" onClick={onCount} data-testid="count-open">
              Count
            </button>
          )}
        </div>
      )}
      <h2>History</h2>
      <Ledger key={ledgerGeneration} itemId={item.id} unit={item.unit} />
    </section>
  );
}

/** The ledger of one item, newest first. */
function Ledger({ itemId, unit }: { itemId: string; unit: string }) {
  const ledger = useAdjustments({ itemId });
  const numbers = useWorkOrderNumbers(
    ledger.entries.flatMap((entry) => (entry.workOrderId ? [entry.workOrderId] : [])),
  );
  if (ledger.status === 'loading') return <p className="muted">Loading the history…</p>;
  if (ledger.status === 'error')
    return (
      <p className="error" role="alert">
        Could not load the history: {ledger.error}
      </p>
    );
  if (ledger.entries.length === 0) return <p className="muted">No adjustments recorded yet.</p>;
  return (
    <ol className="ledger" data-testid="ledger">
      {ledger.entries.map((entry) => (
        <li key={entry.id} data-testid="ledger-entry" data-reason={entry.reason}>
          <strong>{humanize(entry.reason)}</strong>{' '}
          {entry.reason === 'COUNT'
            ? `counted ${entry.quantityAfter}`
            : `${entry.delta > 0 ? '+' : ''}${entry.delta}`}{' '}
          {unit}
          <span className="muted">
            {' '}
            ({entry.quantityBefore} → {entry.quantityAfter}) · {entry.actorName ?? 'Someone'} ·{' '}
            <time dateTime={entry.at}>{dateTime.format(new Date(entry.at))}</time>
          </span>
          {entry.workOrderId && (
            <>
              {' '}
              for{' '}
              <Link
                to={`/work-orders/${encodeURIComponent(entry.workOrderId)}`}
                data-testid="ledger-work-order"
              >
                {numbers.has(entry.workOrderId)
                  ? workOrderLabel(numbers.get(entry.workOrderId) ?? 0)
                  : 'the work order'}
              </Link>
            </>
          )}
          {entry.note && <span className="note"> — {entry.note}</span>}
        </li>
      ))}
    </ol>
  );
}

const optionalNumber = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text);

/** A new stock item (managers and up). */
function CreateItemForm({
  organizationId,
  onCreated,
}: {
  organizationId: string;
  onCreated: (item: InventoryItem) => void;
}) {
  const id = useId();
  const empty = {
    sku: '',
    name: '',
    unit: 'each',
    quantity: '0',
    minQuantity: '0',
    unitCost: '',
    storageLocation: '',
  };
  const [form, setForm] = useState(empty);
  const { run, busy, error, fail } = useAction();
  const [result, setResult] = useState('');
  const set = (field: keyof typeof empty) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult('');
    if (form.name.trim() === '' || form.unit.trim() === '') {
      fail('Name and unit are required.');
      return;
    }
    const codeProblem = itemCodeProblem(form.sku);
    if (codeProblem !== null) {
      fail(codeProblem);
      return;
    }
    if (!/^\d+$/.test(form.quantity.trim()) || !/^\d+$/.test(form.minQuantity.trim())) {
      fail('Quantity and minimum are whole numbers of zero or more.');
      return;
    }
    const unitCost = optionalNumber(form.unitCost);
    if (unitCost !== undefined && (Number.isNaN(unitCost) || unitCost < 0)) {
      fail('The unit cost is an amount of zero or more.');
      return;
    }
    await run(async () => {
      const { data, errors } = await client.mutations.createInventoryItem({
        organizationId,
        ...(form.sku.trim() !== '' ? { sku: form.sku.trim() } : {}),
        name: form.name.trim(),
        unit: form.unit.trim(),
        quantity: Number(form.quantity),
        minQuantity: Number(form.minQuantity),
        ...(unitCost !== undefined ? { unitCost } : {}),
        ...(form.storageLocation.trim() !== ''
          ? { storageLocation: form.storageLocation.trim() }
          : {}),
      });
      throwOnErrors(errors);
      if (data === null || data === undefined) throw new Error('The server returned no item.');
      onCreated(data);
      setResult(`Added ${data.name} (item code ${data.sku}).`);
      setForm(empty);
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add an item</h2>
      <form
        className="item-form"
        onSubmit={(event) => void submit(event)}
        noValidate
        data-testid="item-form"
      >
        {(
          [
            ['name', 'Name'],
            ['sku', 'Item code (optional)'],
            ['unit', 'Unit'],
            ['quantity', 'Quantity'],
            ['minQuantity', 'Minimum'],
            ['unitCost', 'Unit cost (optional)'],
            ['storageLocation', 'Location (optional)'],
          ] as const
        ).map(([field, label]) => (
          <div className="field" key={field}>
            <label htmlFor={`${id}-${field}`}>{label}</label>
            <input
              id={`${id}-${field}`}
              value={form[field]}
              onChange={set(field)}
              placeholder={field === 'sku' ? 'From the name' : undefined}
              inputMode={
                field === 'quantity' || field === 'minQuantity'
                  ? 'numeric'
                  : field === 'unitCost'
                    ? 'decimal'
                    : undefined
              }
              data-testid={`item-${field}`}
            />
          </div>
        ))}
        {error !== null && (
          <p className="error wide" role="alert" data-testid="item-error">
            {error}
          </p>
        )}
        <div className="actions wide">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add item'}
          </button>
          <p className="result" role="status" data-testid="item-result">
            {result}
          </p>
        </div>
      </form>
    </section>
  );
}

/** Explains a refusal of an edit; a CONFLICT is someone else's save, not a mistake. */
const editRefusal = (err: unknown): string =>
  hasErrorType(err, 'CONFLICT')
    ? 'Someone else changed this item while you were editing. The form now shows the saved details; make your change again.'
    : errorMessage(err);

/** Edits an item's name, unit, minimum, cost and location through updateInventoryItem. */
function ItemEditor({
  item,
  onSaved,
  onCancel,
}: {
  item: InventoryItem;
  onSaved: (item: InventoryItem) => void;
  onCancel: () => void;
}) {
  const id = useId();
  // The version the person started from: a save is refused if the item moved on since.
  const [base, setBase] = useState(item);
  const [form, setForm] = useState<ItemEditForm>(() => editFormOf(item));
  const { run, busy, error, fail } = useAction(editRefusal);
  const set = (field: keyof ItemEditForm) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = itemChanges(base, form);
    if ('problem' in outcome) {
      fail(outcome.problem);
      return;
    }
    if (Object.keys(outcome.changes).length === 0) {
      onCancel();
      return;
    }
    await run(async () => {
      try {
        onSaved(
          await updateInventoryItem({
            id: base.id,
            expectedVersion: base.version,
            ...outcome.changes,
          }),
        );
      } catch (err) {
        if (hasErrorType(err, 'CONFLICT')) {
          const fresh = await fetchInventoryItem(base.id).catch(() => null);
          if (fresh !== null) {
            setBase(fresh);
            setForm(editFormOf(fresh));
          }
        }
        throw err;
      }
    });
  };

  return (
    <form
      className="item-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={`Edit ${item.name}`}
      data-testid="item-edit-form"
    >
      {(
        [
          ['name', 'Name', undefined],
          ['unit', 'Unit', undefined],
          ['minQuantity', 'Minimum (low stock at or below)', 'numeric'],
          ['unitCost', 'Unit cost (blank: not set)', 'decimal'],
          ['storageLocation', 'Location (optional)', undefined],
        ] as const
      ).map(([field, label, inputMode]) => (
        <div className="field" key={field}>
          <label htmlFor={`${id}-${field}`}>{label}</label>
          <input
            id={`${id}-${field}`}
            value={form[field]}
            onChange={set(field)}
            inputMode={inputMode}
            data-testid={`item-edit-${field}`}
          />
        </div>
      ))}
      {error !== null && (
        <p className="error wide" role="alert" data-testid="item-edit-error">
          {error}
        </p>
      )}
      <div className="actions wide">
        <button type="submit" className="primary" disabled={busy} data-testid="item-edit-save">
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
