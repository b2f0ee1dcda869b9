import { describe, expect, it } from 'vitest';
import { HubRefusal, refusalFrom } from '../src/collab/refusal';
import { answerFromWire, awarenessFromWire, fromWire, toWire, WireFormatError } from '../src/collab/wire';

describe('sync hub wire format', () => {
  const payload = new Uint8Array([1, 2, 3]);

  it('sends a DocumentSyncMessage as the array of its keys', () => {
    expect(toWire({ documentId: 'draft:1', kind: 0, payload })).toEqual(['draft:1', 0, payload]);
  });

  it('reads the server answer: step 2, the server state vector, writable and the reason', () => {
    const answer = answerFromWire([['draft:1', 1, payload], ['draft:1', 0, new Uint8Array([0])], false, 'Canon is never edited in place.']);
    expect(answer).toEqual({
      step2: { documentId: 'draft:1', kind: 1, payload },
      serverStep1: { documentId: 'draft:1', kind: 0, payload: new Uint8Array([0]) },
      writable: false,
      readOnlyReason: 'Canon is never edited in place.',
    });
    expect(answerFromWire([['d', 1, payload], ['d', 0, payload], true, null]).readOnlyReason).toBeUndefined();
  });

  it('rejects malformed messages instead of applying them', () => {
    for (const bad of [null, {}, ['d', 7, payload], ['d', 2, 'not bytes'], [1, 2, payload], ['d']]) {
      expect(() => fromWire(bad)).toThrow(WireFormatError);
    }
    expect(() => answerFromWire([['d', 1, payload], ['d', 0, payload], 'yes', null])).toThrow(WireFormatError);
    expect(() => awarenessFromWire(['d', [1, 2]])).toThrow(WireFormatError);
    expect(awarenessFromWire(['d', payload])).toEqual({ documentId: 'd', payload });
  });
});

describe('refusalFrom', () => {
  it("turns the server's HubException into a refusal with its code", () => {
    const refusal = refusalFrom(
      new Error("An unexpected error occurred invoking 'PushDocumentUpdate' on the server. HubException: document_read_only: this draft was approved"),
    );
    expect(refusal).toBeInstanceOf(HubRefusal);
    expect(refusal?.code).toBe('document_read_only');
    expect(refusal?.message).toBe('This draft was approved');
  });

  it('leaves connection failures alone, so they are retried', () => {
    expect(refusalFrom(new Error("Invocation canceled due to the underlying connection being closed."))).toBeUndefined();
    expect(refusalFrom('boom')).toBeUndefined();
  });
});
