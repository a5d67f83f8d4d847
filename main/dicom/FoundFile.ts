/** A file to read for an input, with its size when it was found. */
export interface FoundFile {
  readonly path: string;
  readonly size: number;
}
