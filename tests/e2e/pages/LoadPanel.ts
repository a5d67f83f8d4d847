import type { Page } from 'playwright-core';
import type { TestHost } from '../../host/startTestHost.js';

const defaultTimeoutMs = 60_000;

/** One state of the load bar, as the page drew it. */
export interface LoadBarState {
  readonly phase: string | null;
  readonly done: number;
  readonly total: number;
  readonly text: string;
  /** The progressbar's aria-valuenow / aria-valuemax (null when not given). */
  readonly valueNow: string | null;
  readonly valueMax: string | null;
}

/** The Settings dialog's choices as shown. */
export interface ShownSettings {
  /** 'auto' or a thread count. */
  readonly threads: string;
  /** The checked Philips choice. */
  readonly philips: 'precise' | 'display' | null;
  /** Whether "Save measurements beside the study" is ticked. */
  readonly beside: boolean;
}

/** The page's globals this page object reads and writes (the test program compiles without the DOM library). */
interface LoadGlobal {
  __e2eLoadBar?: LoadBarState[];
  document: { querySelector(selector: string): { getAttribute(name: string): string | null; textContent: string | null } | null };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, unknown>): void };
}

/**
 * The load bar (`load-progress`: phase, file count, Cancel) and the Settings
 * dialog, as a user drives them. Waits for what the page shows, never for a fixed time.
 */
export class LoadPanel {
  constructor(
    readonly page: Page,
    readonly host: TestHost,
  ) {}

  /** From now on, records every state the load bar shows (read with `recorded`). */
  async record(): Promise<void> {
    await this.page.evaluate(recordLoadBar);
  }

  /** The load bar's states recorded since `record`, in order, each once. */
  async recorded(): Promise<LoadBarState[]> {
    return this.page.evaluate(() => (globalThis as unknown as LoadGlobal).__e2eLoadBar ?? []);
  }

  /** Opens `path` through the toolbar (the host answers the dialog) without waiting for it to load. */
  async startOpen(path: string, source: 'file' | 'folder'): Promise<void> {
    this.host.answerNextOpen(path);
    await this.page.getByTestId(`open-${source}`).click();
  }

  /** Waits until the bar shows `phase` with at least `minDone` files done (and fewer than all); resolves with its state. */
  async waitForBar(phase: 'scanning' | 'loading', minDone = 0, timeoutMs = defaultTimeoutMs): Promise<LoadBarState> {
    await this.page.waitForFunction(
      ([wanted, least]) => {
        const bar = (globalThis as unknown as LoadGlobal).document.querySelector('[data-testid="load-progress"]');
        const done = Number(bar?.getAttribute('data-done') ?? -1);
        const total = Number(bar?.getAttribute('data-total') ?? 0);
        return bar?.getAttribute('data-phase') === wanted && done >= least && (total === 0 || done < total);
      },
      [phase, minDone] as const,
      { timeout: timeoutMs, polling: 'raf' },
    );
    return this.page.evaluate(readLoadBar);
  }

  /** Waits until no load bar shows; resolves with how long that took, in ms. */
  async waitForBarGone(timeoutMs = defaultTimeoutMs): Promise<number> {
    const start = Date.now();
    await this.page.getByTestId('load-progress').waitFor({ state: 'detached', timeout: timeoutMs });
    return Date.now() - start;
  }

  /** A round trip to main from the page (`app:ping`), in ms. @throws Error when it does not answer pong. */
  async ping(): Promise<number> {
    const answer = await this.page.evaluate(async () => {
      const api = (globalThis as unknown as { axial: { 'app:ping'(args: object): Promise<{ ok: boolean; value?: { pong?: boolean } }> } }).axial;
      const start = performance.now();
      const result = await api['app:ping']({});
      return { ms: performance.now() - start, pong: result.ok && result.value?.pong === true };
    });
    if (!answer.pong) throw new Error('app:ping did not answer pong');
    return answer.ms;
  }

  /** Opens the Settings dialog by the toolbar's button and waits for main's settings in it. */
  async openSettings(): Promise<ShownSettings> {
    await this.page.getByTestId('settings-open').click();
    await this.page.getByTestId('settings-threads').waitFor({ timeout: defaultTimeoutMs });
    return this.shownSettings();
  }

  /** The dialog's choices as shown now. */
  async shownSettings(): Promise<ShownSettings> {
    const threads = await this.page.getByTestId('settings-threads').inputValue();
    const precise = await this.page.getByTestId('settings-philips-precise').isChecked();
    const display = await this.page.getByTestId('settings-philips-display').isChecked();
    const beside = await this.page.getByTestId('settings-measurements-beside').isChecked();
    return { threads, philips: precise ? 'precise' : display ? 'display' : null, beside };
  }

  /** Chooses in the open dialog (not saved yet). */
  async choose(settings: ShownSettings): Promise<void> {
    await this.page.getByTestId('settings-threads').selectOption(settings.threads);
    if (settings.philips) await this.page.getByTestId(`settings-philips-${settings.philips}`).check();
    await this.page.getByTestId('settings-measurements-beside').setChecked(settings.beside);
  }

  /** Closes the dialog by Save (resolves once main has kept them and the dialog closed) or by Esc (nothing saved). */
  async closeSettings(how: 'save' | 'escape'): Promise<void> {
    if (how === 'save') await this.page.getByTestId('settings-save').click();
    else await this.page.keyboard.press('Escape');
    await this.page.getByTestId('settings-dialog').waitFor({ state: 'detached', timeout: defaultTimeoutMs });
  }

  /** The data-testid of the element with the keyboard focus ('' when none has one). */
  async focused(): Promise<string> {
    return this.page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute(
          'data-testid',
        ) ?? '',
    );
  }

  /** What main holds, asked from the page (`settings:get`). */
  async mainSettings(): Promise<unknown> {
    return this.page.evaluate(async () => {
      const api = (globalThis as unknown as { axial: { 'settings:get'(args: object): Promise<{ ok: boolean; value?: unknown }> } }).axial;
      const result = await api['settings:get']({});
      return result.ok ? result.value : result;
    });
  }
}

function readLoadBar(): LoadBarState {
  const g = globalThis as unknown as LoadGlobal;
  const bar = g.document.querySelector('[data-testid="load-progress"]');
  const meter = g.document.querySelector('[data-testid="load-progress-bar"]');
  return {
    phase: bar?.getAttribute('data-phase') ?? null,
    done: Number(bar?.getAttribute('data-done') ?? 0),
    total: Number(bar?.getAttribute('data-total') ?? 0),
    text: g.document.querySelector('[data-testid="load-progress-text"]')?.textContent ?? '',
    valueNow: meter?.getAttribute('aria-valuenow') ?? null,
    valueMax: meter?.getAttribute('aria-valuemax') ?? null,
  };
}

/** Runs in the page: notes each new state of the load bar (at most 5000). */
function recordLoadBar(): void {
  const g = globalThis as unknown as LoadGlobal;
  const states: LoadBarState[] = [];
  g.__e2eLoadBar = states;
  let last = '';
  const note = (): void => {
    const bar = g.document.querySelector('[data-testid="load-progress"]');
    const meter = g.document.querySelector('[data-testid="load-progress-bar"]');
    if (!bar || states.length >= 5000) return;
    const state = {
      phase: bar.getAttribute('data-phase'),
      done: Number(bar.getAttribute('data-done') ?? 0),
      total: Number(bar.getAttribute('data-total') ?? 0),
      text: g.document.querySelector('[data-testid="load-progress-text"]')?.textContent ?? '',
      valueNow: meter?.getAttribute('aria-valuenow') ?? null,
      valueMax: meter?.getAttribute('aria-valuemax') ?? null,
    };
    const key = JSON.stringify(state);
    if (key !== last) states.push(state);
    last = key;
  };
  new g.MutationObserver(note).observe(g.document, { subtree: true, childList: true, characterData: true, attributes: true });
}
