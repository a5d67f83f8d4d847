import { posix, win32 } from 'node:path';
import { dataScheme } from './contentSecurityPolicy.js';

/** Tells the app's own content from everything else, by URL. */
export interface AppContent {
  /** A page of the built renderer (file:// under its folder): the only page allowed to call main. */
  isAppPage(url: string): boolean;
  /** A request the app's session lets through: an app page or file, the data scheme, or DevTools. */
  isAllowedRequest(url: string): boolean;
}

/**
 * URL checks for the renderer built into `rendererDir`. A file URL is parsed,
 * percent-decoded and resolved to a path before it is compared with the
 * folder, so `..` segments and percent-encoding cannot step outside it; an
 * encoded slash, backslash or NUL (which a file loader would decode into a
 * separator after the check) is refused outright.
 */
export function createAppContent(rendererDir: string, platform: NodeJS.Platform = process.platform): AppContent {
  const paths = platform === 'win32' ? win32 : posix;
  const fold = (s: string): string => (platform === 'win32' ? s.toLowerCase() : s);
  const rootPath = paths.resolve(rendererDir);
  const root = fold(rootPath.endsWith(paths.sep) ? rootPath : rootPath + paths.sep);
  const parse = (url: string): URL | undefined => {
    try {
      return new URL(url);
    } catch {
      return undefined;
    }
  };
  const isAppPage = (url: string): boolean => {
    const parsed = parse(url);
    if (parsed?.protocol !== 'file:' || parsed.host !== '') return false;
    const path = filePathOf(parsed.pathname, platform);
    return path !== undefined && fold(paths.resolve(path)).startsWith(root);
  };
  return {
    isAppPage,
    isAllowedRequest(url) {
      const parsed = parse(url);
      if (!parsed) return false;
      return isAppPage(url) || parsed.protocol === `${dataScheme}:` || parsed.protocol === 'devtools:';
    },
  };
}

/** The decoded path of a file URL's pathname; undefined when it encodes a separator or NUL, or is not valid UTF-8. */
function filePathOf(pathname: string, platform: NodeJS.Platform): string | undefined {
  if (/%(2f|5c|00)/i.test(pathname)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  // file:///C:/app/index.html has the pathname /C:/app/index.html.
  return platform === 'win32' ? decoded.replace(/^\/([a-zA-Z]:)/, '$1') : decoded;
}
