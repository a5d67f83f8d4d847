import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dataScheme } from './contentSecurityPolicy.js';

/** Tells the app's own content from everything else, by URL. */
export interface AppContent {
  /** A page of the built renderer (file:// under its folder): the only page allowed to call main. */
  isAppPage(url: string): boolean;
  /** A request the app's session lets through: an app page or file, the data scheme, or DevTools. */
  isAllowedRequest(url: string): boolean;
}

/**
 * URL checks for the renderer built into `rendererDir`. URLs are parsed
 * first, so `..` segments and percent-encoding cannot step outside the folder.
 */
export function createAppContent(rendererDir: string, platform: NodeJS.Platform = process.platform): AppContent {
  const fold = (s: string): string => (platform === 'win32' ? s.toLowerCase() : s);
  const root = fold(pathToFileURL(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep).href);
  const parse = (url: string): URL | undefined => {
    try {
      return new URL(url);
    } catch {
      return undefined;
    }
  };
  const isAppPage = (url: string): boolean => {
    const parsed = parse(url);
    return parsed?.protocol === 'file:' && parsed.host === '' && fold(parsed.href).startsWith(root);
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
