import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

/** Props of {@link ConfirmDialog}. */
export type ConfirmDialogProps = {
  title: string;
  /** What will happen, in a sentence. */
  children: ReactNode;
  /** The confirming button's text: the action itself ("Remove"), not "OK". */
  confirmText: string;
  /** Whether the action destroys something (a red button). */
  danger?: boolean;
  open: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
};

/**
 * The app's own confirmation: a modal on {@link Dialog}, so it matches the app, closes on Escape,
 * returns focus to the opener, and opens with the focus on Cancel, so Enter does not destroy.
 */
export function ConfirmDialog({
  title,
  children,
  confirmText,
  danger = false,
  open,
  onConfirm,
  onCancel,
  testId,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} open={open} onClose={onCancel} testId={testId}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm();
        }}
      >
        <p>{children}</p>
        <div className="actions">
          <button type="submit" className={danger ? 'danger' : 'primary'} data-testid="confirm">
            {confirmText}
          </button>
          <button type="button" onClick={onCancel} data-autofocus data-testid="cancel">
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
