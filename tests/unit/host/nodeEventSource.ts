import { get, type ClientRequest } from 'node:http';
import type { ShimEventSource } from '../../host/axialShim.js';

type Listener = (event: { readonly data?: string }) => void;

/**
 * Just enough of a browser EventSource for the shim, over node:http, so the
 * served shim can run in Node: 'open', then named events with one data line.
 */
export function nodeEventSourceFor(base: string): { EventSource: new (url: string) => ShimEventSource; closeAll(): void } {
  const requests = new Set<ClientRequest>();
  class NodeEventSource implements ShimEventSource {
    private readonly listeners = new Map<string, Set<Listener>>();

    constructor(url: string) {
      const request = get(new URL(url, base), (response) => {
        this.dispatch('open', {});
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string): string | undefined =>
              frame
                .split('\n')
                .find((line) => line.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const event = field('event');
            if (event) this.dispatch(event, { data: field('data') });
          }
        });
      });
      request.on('error', () => undefined);
      requests.add(request);
    }

    addEventListener(type: string, listener: Listener): void {
      const set = this.listeners.get(type) ?? new Set();
      set.add(listener);
      this.listeners.set(type, set);
    }

    removeEventListener(type: string, listener: Listener): void {
      this.listeners.get(type)?.delete(listener);
    }

    private dispatch(type: string, event: { data?: string }): void {
      for (const listener of this.listeners.get(type) ?? []) listener(event);
    }
  }
  return { EventSource: NodeEventSource, closeAll: () => requests.forEach((r) => r.destroy()) };
}
