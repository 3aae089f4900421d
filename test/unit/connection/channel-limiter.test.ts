import { describe, expect, it } from 'vitest';
import { ChannelLimiter } from '../../../runtime/connection/channel-limiter';

describe('ChannelLimiter', () => {
  it('queues beyond the cap, hands slots on in order, and learns a lower server limit', async () => {
    const limiter = new ChannelLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    const order: number[] = [];
    const third = limiter.acquire().then(() => order.push(3));
    const fourth = limiter.acquire().then(() => order.push(4));
    expect(limiter.inUse).toBe(2);
    limiter.learnServerLimit(1);
    limiter.release(); // over the new cap: the slot is dropped, not handed on
    await Promise.resolve();
    expect(order).toEqual([]);
    limiter.release(); // now within the cap: the first waiter gets it
    await third;
    expect(order).toEqual([3]);
    limiter.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(limiter.limit).toBe(1);
  });

  it('an abort while queued leaves the queue', async () => {
    const limiter = new ChannelLimiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, () => new Error('gave up'));
    controller.abort();
    await expect(waiting).rejects.toThrow('gave up');
    limiter.release();
    expect(limiter.inUse).toBe(0);
  });
});
