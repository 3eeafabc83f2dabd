import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Props of {@link Dialog}. */
export type DialogProps = {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
};

/**
 * A modal on the native `<dialog>`: the browser traps focus, closes on Escape and returns focus
 * to the opener, which a hand-made overlay would have to reimplement. The browser focuses the
 * first focusable element on opening; a child marked `data-autofocus` takes the focus instead.
 */
export function Dialog({ title, open, onClose, children, testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={headingId}
      onClose={onClose}
      data-testid={testId}
    >
      <h2 id={headingId}>{title}</h2>
      {open && children}
    </dialog>
  );
}
