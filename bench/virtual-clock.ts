// A simulated clock: sleeping costs no real time. `run` advances time to the next timer
// whenever every task is waiting on one, so a 4-minute sweep simulates in seconds.
import type { Clock } from '../functions/operator/clock';

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

// The fakes answer through promises only (no timers), so one turn of the event loop settles them.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new TimerHeap();

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, wake });
    });
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    let done = false;
    const result = work().finally(() => {
      done = true;
    });
    result.catch(() => undefined);
    while (!done) {
      await settle();
      const next = this.timers.peek();
      if (done || !next) continue;
      this.time = Math.max(this.time, next.at);
      while (this.timers.peek() && this.timers.peek()!.at <= this.time) this.timers.pop()!.wake();
    }
    return result;
  }
}

/** Min-heap of timers by time, then by creation order. */
class TimerHeap {
  private readonly items: Timer[] = [];

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  peek(): Timer | undefined {
    return this.items[0];
  }

  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < items.length && this.less(items[l]!, items[min]!)) min = l;
        if (r < items.length && this.less(items[r]!, items[min]!)) min = r;
        if (min === i) break;
        [items[i], items[min]] = [items[min]!, items[i]!];
        i = min;
      }
    }
    return top;
  }
}
