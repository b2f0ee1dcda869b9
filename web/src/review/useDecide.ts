import { useState } from 'preact/hooks';
import type { Draft } from '../api/types';
import { useApp } from '../context';
import { summarizeBatch } from './queue';

export interface Decision {
  /** Drafts the server decided, as it answered. */
  decided: Draft[];
  message: string;
  error?: unknown;
}

/**
 * Sends approvals and rejections: one draft through its own endpoint (so its problem details come back whole),
 * several through the batch endpoint, where each item succeeds or fails on its own.
 */
export function useDecide() {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);

  const decide = async (ids: readonly string[], action: 'approve' | 'reject', reason?: string): Promise<Decision> => {
    const verb = action === 'approve' ? 'approved' : 'rejected';
    setBusy(true);
    try {
      if (ids.length === 1) {
        const id = ids[0] ?? '';
        const draft = action === 'approve' ? await api.drafts.approve(id) : await api.drafts.reject(id, reason ?? '');
        return { decided: [draft], message: `Draft ${verb}.` };
      }
      const answer = await api.drafts.batch(ids.map((id) => (action === 'approve' ? { id, action } : { id, action, reason: reason ?? '' })));
      const summary = summarizeBatch(answer.results, verb);
      const drafts = answer.results.flatMap((r) => (r.status >= 200 && r.status < 300 && r.draft ? [r.draft] : []));
      return { decided: drafts, message: summary.message };
    } catch (error) {
      return { decided: [], message: `Nothing was ${verb}.`, error };
    } finally {
      setBusy(false);
    }
  };

  return { decide, busy };
}
