import { countChanges, type DiffBlock } from '../diff/lines';

interface Props {
  blocks: readonly DiffBlock[];
  /** What is compared, for the caption: "v1 → v2", "canon v3 → this draft". */
  label: string;
}

const marks = { added: '+', removed: '−', same: ' ' } as const;
const spoken = { added: 'added', removed: 'removed', same: 'unchanged' } as const;

/** A line diff as text: each line carries its change as a sign and, for screen readers, as a word. */
export function DiffView({ blocks, label }: Props) {
  const { added, removed } = countChanges(blocks);
  return (
    <figure class="diff" data-testid="diff">
      <figcaption>
        {label}: <span class="diff-count added">{added} added</span>, <span class="diff-count removed">{removed} removed</span>
      </figcaption>
      {blocks.length === 0 ? (
        <p class="muted">No differences.</p>
      ) : (
        <ol class="diff-lines" aria-label={`Diff ${label}`}>
          {blocks.map((block, i) =>
            block.kind === 'hunk' ? (
              <li key={i} class="diff-hunk">
                {block.header}
              </li>
            ) : (
              <li key={i} class={`diff-line diff-${block.row.op}`}>
                <span class="diff-num" aria-hidden="true">
                  {block.row.oldLine ?? ''}
                </span>
                <span class="diff-num" aria-hidden="true">
                  {block.row.newLine ?? ''}
                </span>
                <span class="diff-mark" aria-hidden="true">
                  {marks[block.row.op]}
                </span>
                <span class="visually-hidden">{spoken[block.row.op]}: </span>
                <span class="diff-text">{block.row.text === '' ? '\u00a0' : block.row.text}</span>
              </li>
            ),
          )}
        </ol>
      )}
    </figure>
  );
}
