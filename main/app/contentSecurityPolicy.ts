/** The scheme main serves voxel and label bytes on (registered privileged: standard, secure, fetch, CORS). */
export const dataScheme = 'axial-data';

/**
 * The renderer's Content-Security-Policy, the same in the app (response
 * header, and the renderer's meta tag for file://, which has no headers) and
 * in the test host: scripts, styles and fonts only from the app itself, data
 * only from the app and the data scheme, nothing inline, no plugins, no forms,
 * never framed.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  `connect-src 'self' ${dataScheme}:`,
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
