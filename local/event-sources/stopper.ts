/** A stop switch shared by a mapping's loops, whose sleeps `stop()` cuts short. */
export class Stopper {
  private readonly sleepers = new Set<() => void>();
  private isStopped = false;

  get stopped(): boolean {
    return this.isStopped;
  }

  /** Resolves after `ms`, or at once when stop() is called. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  stop(): void {
    this.isStopped = true;
    for (const wake of [...this.sleepers]) wake();
  }
}
