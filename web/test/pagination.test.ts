import { describe, expect, it } from 'vitest';
import type { Page } from '../src/api/types';
import { appendPage, emptyList, loadAll, loadMore } from '../src/pagination';

interface Item {
  id: string;
  v: number;
}
const key = (i: Item) => i.id;

describe('cursor pagination', () => {
  it('follows cursors until the server stops giving one', async () => {
    const pages: Record<string, Page<Item>> = {
      first: { items: [{ id: 'a', v: 1 }], nextCursor: 'c2' },
      c2: { items: [{ id: 'b', v: 1 }], nextCursor: 'c3' },
      c3: { items: [{ id: 'c', v: 1 }], nextCursor: null },
    };
    const asked: (string | undefined)[] = [];
    const items = await loadAll<Item>((cursor) => {
      asked.push(cursor);
      return Promise.resolve(pages[cursor ?? 'first'] ?? { items: [] });
    }, key);
    expect(items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([undefined, 'c2', 'c3']);
  });

  it('replaces an item repeated across pages instead of duplicating it', () => {
    const one = appendPage(emptyList<Item>(), { items: [{ id: 'a', v: 1 }, { id: 'b', v: 1 }], nextCursor: 'x' }, key);
    const two = appendPage(one, { items: [{ id: 'b', v: 2 }, { id: 'c', v: 1 }], nextCursor: null }, key);
    expect(two.items).toEqual([
      { id: 'a', v: 1 },
      { id: 'b', v: 2 },
      { id: 'c', v: 1 },
    ]);
    expect(two.done).toBe(true);
  });

  it('stops on a cursor that does not move', () => {
    const one = appendPage(emptyList<Item>(), { items: [], nextCursor: 'same' }, key);
    expect(one.done).toBe(false);
    const two = appendPage(one, { items: [], nextCursor: 'same' }, key);
    expect(two.done).toBe(true);
    expect(two.nextCursor).toBeUndefined();
  });

  it('does not fetch past the end', async () => {
    let fetched = 0;
    const done = { items: [], nextCursor: undefined, done: true };
    const same = await loadMore<Item>(done, () => {
      fetched++;
      return Promise.resolve({ items: [] });
    }, key);
    expect(same).toBe(done);
    expect(fetched).toBe(0);
  });

  it('caps loadAll at maxPages even if the server never ends', async () => {
    let n = 0;
    const items = await loadAll<Item>(() => Promise.resolve({ items: [{ id: String(n), v: 0 }], nextCursor: `c${++n}` }), key, 3);
    expect(items).toHaveLength(3);
  });
});
