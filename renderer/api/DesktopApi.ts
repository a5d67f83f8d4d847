/** The API the page gets as `window.axial` (preload or test host). */
export type DesktopApi = NonNullable<Window['axial']>;
