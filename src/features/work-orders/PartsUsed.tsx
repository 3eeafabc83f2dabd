import { useEffect, useId, useState, type FormEvent } from 'react';
import { errorMessage, hasErrorType } from '../../lib/graphql-errors';
import {
  adjustInventory,
  fetchInventory,
  useAdjustments,
  type InventoryItem,
} from '../inventory/use-inventory';
import { adjustmentDelta, amountProblem, costOf } from '../inventory/stock';

const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });

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
              <th scope="col">SKU</th>
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
                <th scope="row">{entry.sku}</th>
                <td className="num">{-entry.delta}</td>
                <td className="num">{cost === undefined ? '–' : money.format(cost)}</td>
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
                {money.format(total)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      {canUse && (
        <UsePartForm
          organizationId={organizationId}
          workOrderId={workOrderId}
          onUsed={ledger.reload}
        />
      )}
    </section>
  );
}

function UsePartForm({
  organizationId,
  workOrderId,
  onUsed,
}: {
  organizationId: string;
  workOrderId: string;
  onUsed: () => void;
}) {
  const id = useId();
  const [items, setItems] = useState<InventoryItem[]>([]);
  const [itemId, setItemId] = useState('');
  const [amount, setAmount] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    fetchInventory(organizationId).then(
      (loaded) => {
        if (!active) return;
        setItems(loaded);
        setItemId((current) => current || (loaded[0]?.id ?? ''));
      },
      (err: unknown) => active && setError(`Could not load the stock: ${errorMessage(err)}`),
    );
    return () => {
      active = false;
    };
  }, [organizationId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = itemId === '' ? 'Choose a part.' : amountProblem('CONSUME', amount);
    if (problem !== null) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const updated = await adjustInventory({
        itemId,
        reason: 'CONSUME',
        delta: adjustmentDelta('CONSUME', Number(amount.trim())),
        workOrderId,
      });
      setItems((all) => all.map((item) => (item.id === updated.id ? updated : item)));
      setAmount('1');
      onUsed();
    } catch (err) {
      const message = errorMessage(err);
      setError(
        hasErrorType(err, 'INSUFFICIENT_STOCK') ? `Not enough in stock. ${message}` : message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="use-part" onSubmit={(event) => void submit(event)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-item`}>Part</label>
        <select
          id={`${id}-item`}
          value={itemId}
          onChange={(event) => setItemId(event.target.value)}
          data-testid="use-part-item"
        >
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.sku} — {item.name} ({item.quantity} {item.unit} left)
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
      {error !== null && (
        <p id={`${id}-error`} className="error wide" role="alert" data-testid="use-part-error">
          {error}
        </p>
      )}
    </form>
  );
}
