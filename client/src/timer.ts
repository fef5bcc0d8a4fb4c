import type * as vscode from 'vscode';

/**
 * A debounced callback that can be switched off for good. Views that follow edits refresh on a
 * timer; when the extension deactivates the timer must not fire into a provider that VS Code has
 * already unregistered (that is how "unsupported uri-scheme: kube-netlint-rules" reached the
 * extension host log after shutdown), so dispose() clears it and later schedule() calls do nothing.
 */
export class Debounced implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly ms: number,
    private readonly run: () => void,
  ) {}

  schedule(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed) this.run();
    }, this.ms);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
