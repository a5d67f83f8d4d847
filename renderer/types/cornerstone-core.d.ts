/** The part of cornerstone-core 2.6 the viewer uses (the package ships no types). */
declare module 'cornerstone-core' {
  export interface CornerstoneImage {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => ArrayLike<number>;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    invert: boolean;
    columnPixelSpacing: number;
    rowPixelSpacing: number;
    sizeInBytes: number;
    labelmap?: boolean;
  }

  export interface Point {
    x: number;
    y: number;
  }

  export interface Viewport {
    scale: number;
    translation: Point;
    voi: { windowWidth: number; windowCenter: number };
    invert: boolean;
    pixelReplication: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
    colormap?: string;
    labelmap?: boolean;
  }

  export interface LayerOptions {
    name?: string;
    visible?: boolean;
    opacity?: number;
    viewport?: Partial<Viewport>;
  }

  export interface Layer {
    layerId: string;
    image?: CornerstoneImage;
    viewport?: Viewport;
    options: LayerOptions;
    syncProps?: { originalScale: number };
  }

  export interface EnabledElement {
    element: HTMLElement;
    canvas: HTMLCanvasElement;
    image?: CornerstoneImage;
    viewport?: Viewport;
  }

  export interface Colormap {
    getId(): string;
    setNumberOfColors(count: number): void;
    setColor(index: number, rgba: number[]): void;
  }

  interface Cornerstone {
    enable(element: HTMLElement, options?: Record<string, unknown>): void;
    disable(element: HTMLElement): void;
    displayImage(element: HTMLElement, image: CornerstoneImage, viewport?: Partial<Viewport>): void;
    updateImage(element: HTMLElement, invalidated?: boolean): void;
    getViewport(element: HTMLElement): Viewport | undefined;
    setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
    addLayer(element: HTMLElement, image: CornerstoneImage, options?: LayerOptions): string;
    setLayerImage(element: HTMLElement, image: CornerstoneImage, layerId?: string): void;
    getLayer(element: HTMLElement, layerId: string): Layer | undefined;
    getLayers(element: HTMLElement): Layer[];
    resize(element: HTMLElement, forceFitToWindow?: boolean): void;
    fitToWindow(element: HTMLElement): void;
    pixelToCanvas(element: HTMLElement, point: Point): Point;
    canvasToPixel(element: HTMLElement, point: Point): Point;
    getEnabledElement(element: HTMLElement): EnabledElement;
    colors: { getColormap(id: string, data?: { name: string; colors: number[][] }): Colormap };
    EVENTS: { IMAGE_RENDERED: string };
  }

  const cornerstone: Cornerstone;
  export default cornerstone;
}
