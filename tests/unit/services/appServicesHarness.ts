import { fileURLToPath } from 'node:url';
import type { EventName, EventTypes } from '../../../core/contract.js';
import type { AppServiceDeps, AppServices, OpenKind, SaveFilter } from '../../../main/services/AppServices.js';
import { createAppServices } from '../../../main/services/createAppServices.js';
import { createDropRegistry } from '../../../main/services/createDropRegistry.js';
import { startInferenceProcess, type InferenceProcess } from '../../../main/segmentation/process/runInferenceProcess.js';

export const demoModelPath = fileURLToPath(new URL('../../../models/demo-ct-phantom', import.meta.url));

export interface RecordedEvent {
  readonly event: EventName;
  readonly payload: EventTypes[EventName];
}

/** createAppServices with the user played by the test: dialogs answer from queues, events are recorded. */
export interface Harness {
  readonly services: AppServices;
  readonly events: RecordedEvent[];
  readonly openRequests: OpenKind[];
  readonly saveRequests: { suggestedName: string; filters: readonly SaveFilter[] }[];
  readonly processes: InferenceProcess[];
  answerNextOpen(path: string | undefined): void;
  answerNextSave(path: string | undefined): void;
  registerDrop(path: string): string;
  /** Resolves with the first recorded event (past or future) that passes `test`. */
  waitFor<E extends EventName>(event: E, test: (payload: EventTypes[E]) => boolean): Promise<EventTypes[E]>;
}

export function createHarness(overrides: Partial<AppServiceDeps> = {}): Harness {
  const opens: (string | undefined)[] = [];
  const saves: (string | undefined)[] = [];
  const drops = createDropRegistry();
  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  const processes: InferenceProcess[] = [];
  const openRequests: OpenKind[] = [];
  const saveRequests: Harness['saveRequests'] = [];
  const deps: AppServiceDeps = {
    chooseOpenPath: async (kind) => {
      openRequests.push(kind);
      return opens.shift();
    },
    chooseSavePath: async (suggestedName, filters) => {
      saveRequests.push({ suggestedName, filters });
      return saves.shift();
    },
    takeDroppedPath: (token) => drops.take(token),
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const wake of [...waiters]) wake();
    },
    demoModelPath,
    demoInteractiveModelPath: fileURLToPath(new URL('../../../models/demo-deepedit', import.meta.url)),
    dataUrl: (kind, id) => `test-data://${kind}/${id}`,
    startInference: () => {
      const started = startInferenceProcess();
      processes.push(started);
      return started;
    },
    logError: () => undefined,
    ...overrides,
  };
  const waitFor: Harness['waitFor'] = (event, test) =>
    new Promise((resolve) => {
      const check = (): boolean => {
        const found = events.find((e) => e.event === event && test(e.payload as EventTypes[typeof event]));
        if (found) resolve(found.payload as EventTypes[typeof event]);
        return found !== undefined;
      };
      if (check()) return;
      const wake = (): void => {
        if (check()) waiters.delete(wake);
      };
      waiters.add(wake);
    });
  return {
    services: createAppServices(deps),
    events,
    openRequests,
    saveRequests,
    processes,
    answerNextOpen: (path) => opens.push(path),
    answerNextSave: (path) => saves.push(path),
    registerDrop: (path) => drops.register(path),
    waitFor,
  };
}

/** The value of an ok Result, or a thrown error naming its code. */
export function valueOf<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
