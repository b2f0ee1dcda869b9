import type { ReindexRun } from '../api/types';

export interface ReindexProgress {
  /** Items done; undefined while the total is not known yet (an indeterminate bar). */
  value: number | undefined;
  max: number;
  finished: boolean;
  /** One sentence for the page and screen readers. */
  label: string;
}

const phaseNames: Readonly<Record<string, string>> = {
  embeddings: 'computing embeddings',
  fulltext: 'rebuilding full-text vectors',
  'embeddings-index': 'rebuilding the embeddings index',
  'fulltext-index': 'rebuilding the full-text index',
};

export function isFinished(run: ReindexRun): boolean {
  return run.state === 'succeeded' || run.state === 'failed';
}

/** What the progress bar shows for a run as the server reports it. */
export function reindexProgress(run: ReindexRun): ReindexProgress {
  const finished = isFinished(run);
  const phase = run.phase ? (phaseNames[run.phase] ?? run.phase) : undefined;
  switch (run.state) {
    case 'queued':
      return { value: undefined, max: 1, finished, label: 'Queued: waiting for a worker to pick it up.' };
    case 'succeeded':
      return { value: Math.max(run.total, 1), max: Math.max(run.total, 1), finished, label: `Done: ${run.processed} of ${run.total} items reindexed.` };
    case 'failed':
      return {
        value: run.total > 0 ? Math.min(run.processed, run.total) : undefined,
        max: Math.max(run.total, 1),
        finished,
        label: `Failed${run.lastError ? `: ${run.lastError}` : '.'}`,
      };
    default:
      return {
        value: run.total > 0 ? Math.min(run.processed, run.total) : undefined,
        max: Math.max(run.total, 1),
        finished,
        label: `Running${phase ? `, ${phase}` : ''}: ${run.processed} of ${run.total} items${run.attempts > 1 ? ` (attempt ${run.attempts})` : ''}.`,
      };
  }
}

/** Polls gently while a run is queued, then every second while it runs. */
export function pollDelay(run: ReindexRun): number | undefined {
  if (isFinished(run)) {
    return undefined;
  }
  return run.state === 'queued' ? 2_000 : 1_000;
}
