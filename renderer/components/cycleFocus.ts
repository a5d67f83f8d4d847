/** Moves focus to the dialog's next (or previous) control, wrapping round; a radio group counts once, by its checked radio. */
export function cycleFocus(dialog: HTMLElement | null, back: boolean): void {
  if (!dialog) return;
  const controls = Array.from(dialog.querySelectorAll<HTMLElement>('select, input, button')).filter(
    (c) => !(c as HTMLButtonElement).disabled && !(c instanceof HTMLInputElement && c.type === 'radio' && !c.checked),
  );
  const at = controls.indexOf(document.activeElement as HTMLElement);
  const next = at < 0 ? 0 : (at + (back ? controls.length - 1 : 1)) % controls.length;
  controls[next]?.focus();
}
