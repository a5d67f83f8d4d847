/** Resolves once the view's element says it has drawn `slice` (its data-slice), or after 5 s. */
export function waitForSlice(element: HTMLElement, slice: number): Promise<void> {
  const until = performance.now() + 5000;
  return new Promise((resolve) => {
    const check = (): void => {
      if (element.dataset['slice'] === String(slice) || performance.now() > until) resolve();
      else requestAnimationFrame(check);
    };
    check();
  });
}
