import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * File identities in the server are canonical `file:` URIs, so the same file opened by the
 * editor and found on disk by the scanner is one entry; the client's own spelling of a URI is
 * remembered and used when talking back to it.
 */
export class UriMap {
  private readonly clientSpelling = new Map<string, string>();

  toFileId(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    try {
      const id = pathToFileURL(fileURLToPath(uri)).href;
      if (id !== uri) this.clientSpelling.set(id, uri);
      return id;
    } catch {
      return uri;
    }
  }

  toUri(fileId: string): string {
    return this.clientSpelling.get(fileId) ?? fileId;
  }

  static fromPath(p: string): string {
    return pathToFileURL(p).href;
  }

  static toPath(fileId: string): string | undefined {
    try {
      return fileId.startsWith('file:') ? fileURLToPath(fileId) : undefined;
    } catch {
      return undefined;
    }
  }
}
