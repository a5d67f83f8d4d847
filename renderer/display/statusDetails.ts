/**
 * The status line keeps one thing for people (what happened, how long it took); what only the curious
 * need (the provider a model ran on, why a GPU provider was skipped, a CUDA install hint, a label map's
 * notes) travels after it, one per line, for StatusText to put behind a Details disclosure. The state
 * holds one string, so the two parts travel in it, split at the first line break.
 */
export function withDetails(message: string, details: readonly string[]): string {
  const lines = details.map((d) => d.replace(/\s+/g, ' ').trim()).filter((d) => d !== '');
  return lines.length ? `${message}\n${lines.join('\n')}` : message;
}

/** The status line's two parts (see withDetails). */
export function splitStatus(status: string): { readonly message: string; readonly details: readonly string[] } {
  const [message = '', ...details] = status.split('\n');
  return { message, details };
}

const providerNames: Readonly<Record<string, string>> = {
  cpu: 'the CPU',
  cuda: 'the GPU (CUDA)',
  dml: 'the GPU (DirectML)',
  coreml: 'Core ML',
  webgpu: 'the GPU (WebGPU)',
};

/** "Ran on the GPU (CUDA) in 4.2 s": the execution provider in words, for the Details. */
export function providerDetail(provider: string, seconds: number): string {
  return `Ran on ${providerNames[provider] ?? provider} in ${formatSeconds(seconds)}`;
}

/** Seconds for people: "0.4 s", "4.2 s", "42 s", "3 min 5 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
