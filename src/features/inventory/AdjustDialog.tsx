import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../app/Dialog';
import { errorMessage, hasErrorType } from '../../lib/graphql-errors';
import { humanize } from '../../lib/labels';
import { adjustInventory, type InventoryItem } from './use-inventory';
import { adjustmentDelta, amountProblem, type AdjustmentReason } from './stock';
import { useAction } from '../../lib/use-action';

/** Props of {@link AdjustDialog}. */
export type AdjustDialogProps = {
  item: InventoryItem | null;
  /** `count` asks for the quantity on the shelf; `adjust` for a movement and its reason. */
  mode: 'adjust' | 'count';
  /** The movements the caller may record (a technician only consumes). */
  reasons: readonly Exclude<AdjustmentReason, 'COUNT'>[];
  /** Set when parts are used on a work order: the movement is a CONSUME for it. */
  workOrderId?: string;
  onClose: () => void;
  onDone: (item: InventoryItem) => void;
};

/** Explains a refusal in the words of the stock room, keeping the server's own reason. */
const refusal = (err: unknown): string => {
  const message = errorMessage(err);
  if (hasErrorType(err, 'INSUFFICIENT_STOCK')) return `Not enough in stock. ${message}`;
  return message;
};

/** Records a receipt, use, correction or count of one item through adjustInventory. */
export function AdjustDialog({
  item,
  mode,
  reasons,
  workOrderId,
  onClose,
  onDone,
}: AdjustDialogProps) {
  const id = useId();
  const [reason, setReason] = useState<Exclude<AdjustmentReason, 'COUNT'>>(reasons[0] ?? 'CONSUME');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const { run, busy, error, fail, reset } = useAction(refusal);
  const effective: AdjustmentReason = mode === 'count' ? 'COUNT' : reason;

  const close = () => {
    setAmount('');
    setNote('');
    reset();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (item === null) return;
    const problem = amountProblem(effective, amount);
    if (problem !== null) {
      fail(problem);
      return;
    }
    await run(async () => {
      const updated = await adjustInventory({
        itemId: item.id,
        reason: effective,
        delta: adjustmentDelta(effective, Number(amount.trim())),
        ...(workOrderId !== undefined ? { workOrderId } : {}),
        ...(note.trim() !== '' ? { note: note.trim() } : {}),
      });
      onDone(updated);
      close();
    });
  };

  const title =
    item === null
      ? ''
      : mode === 'count'
        ? `Count ${item.name}`
        : workOrderId !== undefined
          ? `Use ${item.name}`
          : `Adjust ${item.name}`;
  const amountLabel =
    mode === 'count'
      ? `Quantity on the shelf (${item?.unit ?? ''})`
      : effective === 'ADJUST'
        ? 'Change (+ or −)'
        : `How many (${item?.unit ?? ''})`;

  return (
    <Dialog
      title={title}
      open={item !== null}
      onClose={close}
      testId={mode === 'count' ? 'count-dialog' : 'adjust-dialog'}
    >
      {item !== null && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <p className="muted">
            {item.name} ({item.sku}): {item.quantity} {item.unit} in stock, minimum{' '}
            {item.minQuantity}.
          </p>
          {mode === 'adjust' && reasons.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason</label>
              <select
                id={`${id}-reason`}
                value={reason}
                onChange={(event) =>
                  setReason(event.target.value as Exclude<AdjustmentReason, 'COUNT'>)
                }
                data-testid="adjust-reason"
              >
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {humanize(r)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={`${id}-amount`}>{amountLabel}</label>
            <input
              id={`${id}-amount`}
              inputMode="numeric"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error !== null ? `${id}-error` : undefined}
              data-testid="adjust-amount"
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>Note (optional)</label>
            <input
              id={`${id}-note`}
              value={note}
              maxLength={500}
              onChange={(event) => setNote(event.target.value)}
              data-testid="adjust-note"
            />
          </div>
          {error !== null && (
            <p id={`${id}-error`} className="error" role="alert" data-testid="adjust-error">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy} data-testid="adjust-submit">
              {busy ? 'Saving…' : mode === 'count' ? 'Record count' : 'Save'}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
