import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { can } from '../../../core/organizations/permissions';
import { useWorkspace } from '../../app/workspace-context';
import { errorMessage, hasErrorType } from '../../lib/graphql-errors';
import { useAction } from '../../lib/use-action';
import { useLiveQuery, type LiveQueryResult } from '../../lib/use-live-query';
import { upsertById } from '../../lib/versions';
import {
  adjustInventory,
  fetchInventory,
  useAdjustments,
  type InventoryItem,
} from '../inventory/use-inventory';
import { formatMoney } from '../inventory/item-form';
import { adjustmentDelta, amountProblem, costOf } from '../inventory/stock';

/** Props of {@link PartsUsed}. */
export type PartsUsedProps = {
  organizationId: string;
  workOrderId: string;
  /** Whether the caller may take parts from stock for this work order (technicians and up). */
  canUse: boolean;
};

/** The parts consumed on a work order (its slice of the ledger), their cost, and "use part". */
export function PartsUsed({ organizationId, workOrderId, canUse }: PartsUsedProps) {
  const ledger = useAdjustments({ workOrderId });
  // The organization's items: the picker's choices, and the names of the parts used.
  const stock = useLiveQuery<InventoryItem[]>({
    key: organizationId,
    read: () => fetchInventory(organizationId),
  });
  const names = new Map((stock.data ?? []).map((item) => [item.id, item.name]));
  const priced = ledger.entries.map((entry) => ({
    entry,
    cost: costOf(entry.delta, entry.unitCost),
  }));
  const total = priced.reduce((sum, { cost }) => sum + (cost ?? 0), 0);

  return (
    <section className="card" aria-labelledby="parts-heading" data-testid="parts-used">
      <h2 id="parts-heading">Parts used</h2>
      {ledger.status === 'loading' && <p className="muted">Loading the parts…</p>}
      {ledger.status === 'error' && (
        <p className="error" role="alert" data-testid="parts-error">
          Could not load the parts used: {ledger.error}
        </p>
      )}
      {ledger.status === 'ready' && ledger.entries.length === 0 && (
        <p className="muted">No parts used yet.</p>
      )}
      {ledger.entries.length > 0 && (
        <table className="parts-table">
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col" className="num">
                Quantity
              </th>
              <th scope="col" className="num">
                Cost
              </th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {priced.map(({ entry, cost }) => (
              <tr key={entry.id} data-testid="part-row">
                <th scope="row">
                  {names.get(entry.itemId) ?? entry.sku}
                  {names.has(entry.itemId) && <span className="muted"> · {entry.sku}</span>}
                </th>
                <td className="num">{-entry.delta}</td>
                <td className="num">{formatMoney(cost)}</td>
                <td>{entry.actorName ?? ''}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td className="num" data-testid="parts-total">
                {formatMoney(total)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      {canUse && <UsePartForm stock={stock} workOrderId={workOrderId} onUsed={ledger.reload} />}
    </section>
  );
}

function UsePartForm({
  stock,
  workOrderId,
  onUsed,
}: {
  stock: LiveQueryResult<InventoryItem[]>;
  workOrderId: string;
  onUsed: () => void;
}) {
  const id = useId();
  const { membership } = useWorkspace();
  const items = stock.data ?? [];
  const [used, setUsed] = useState('');
  const [chosen, setChosen] = useState('');
  const itemId = chosen || (items[0]?.id ?? '');
  const [amount, setAmount] = useState('1');
  const action = useAction((err) => {
    const message = errorMessage(err);
    return hasErrorType(err, 'INSUFFICIENT_STOCK') ? `Not enough in stock. ${message}` : message;
  });
  const { busy } = action;
  const error =
    action.error ?? (stock.error !== null ? `Could not load the stock: ${stock.error}` : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setUsed('');
    const problem = itemId === '' ? 'Choose a part.' : amountProblem('CONSUME', amount);
    if (problem !== null) {
      action.fail(problem);
      return;
    }
    await action.run(async () => {
      const updated = await adjustInventory({
        itemId,
        reason: 'CONSUME',
        delta: adjustmentDelta('CONSUME', Number(amount.trim())),
        workOrderId,
      });
      stock.update((all) => upsertById(all, updated, (a, b) => a.sku.localeCompare(b.sku)));
      setUsed(
        `Used ${Number(amount.trim())} × ${updated.name}. ${updated.quantity} ${updated.unit} left.`,
      );
      setAmount('1');
      onUsed();
    });
  };

  if (stock.status === 'ready' && items.length === 0) {
    return (
      <p className="muted" data-testid="use-part-empty">
        There are no parts in the inventory yet, so none can be used here.{' '}
        {can(membership.role, 'inventory.adjust') ? (
          <Link to="/inventory" data-testid="use-part-add">
            Add a part in Inventory
          </Link>
        ) : (
          'Ask a manager to add the parts you use.'
        )}
      </p>
    );
  }

  return (
    <form className="use-part" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-item`}>Part</label>
        <select
          id={`${id}-item`}
          value={itemId}
          onChange={(event) => setChosen(event.target.value)}
          data-testid="use-part-item"
        >
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name} · {item.sku} ({item.quantity} {item.unit} left)
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-amount`}>How many</label>
        <input
          id={`${id}-amount`}
          inputMode="numeric"
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? `${id}-error` : undefined}
          data-testid="use-part-amount"
        />
      </div>
      <button type="submit" disabled={busy} data-testid="use-part-submit">
        {busy ? 'Recording…' : 'Use part'}
      </button>
      <p className="result wide" role="status" data-testid="use-part-result">
        {used}
      </p>
      {error !== null && (
        <p id={`${id}-error`} className="error wide" role="alert" data-testid="use-part-error">
          {error}
        </p>
      )}
    </form>
  );
}
