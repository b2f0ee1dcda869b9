import { describe, expect, it } from 'vitest';
import { countChanges, diffLines, parseUnified, withContext, type DiffRow } from '../src/diff/lines';

const ops = (rows: DiffRow[]) => rows.map((r) => `${r.op === 'added' ? '+' : r.op === 'removed' ? '-' : ' '}${r.text}`);

describe('client line diff', () => {
  it('marks added, removed and unchanged lines with their line numbers', () => {
    const rows = diffLines('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(ops(rows)).toEqual([' a', '-b', '+B', ' c', '+d']);
    expect(rows[0]).toEqual({ op: 'same', text: 'a', oldLine: 1, newLine: 1 });
    expect(rows[1]).toEqual({ op: 'removed', text: 'b', oldLine: 2 });
    expect(rows[2]).toEqual({ op: 'added', text: 'B', newLine: 2 });
    expect(rows[3]).toEqual({ op: 'same', text: 'c', oldLine: 3, newLine: 3 });
    expect(rows[4]).toEqual({ op: 'added', text: 'd', newLine: 4 });
  });

  it('treats a new document as all added and ignores CRLF and trailing newlines', () => {
    expect(ops(diffLines('', 'x\ny'))).toEqual(['+x', '+y']);
    expect(ops(diffLines('x\r\ny\r\n', 'x\ny'))).toEqual([' x', ' y']);
    expect(diffLines('', '')).toEqual([]);
  });

  it('keeps a minimal edit in the middle of a long document', () => {
    const before = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const after = [...before.slice(0, 100), 'inserted', ...before.slice(101)];
    const rows = diffLines(before.join('\n'), after.join('\n'));
    expect(countChanges(rows.map((row) => ({ kind: 'row' as const, row })))).toEqual({ added: 1, removed: 1 });
    expect(rows).toHaveLength(201);
    expect(rows[100]).toEqual({ op: 'removed', text: 'line 100', oldLine: 101 });
    expect(rows[101]).toEqual({ op: 'added', text: 'inserted', newLine: 101 });
    expect(rows[200]).toEqual({ op: 'same', text: 'line 199', oldLine: 200, newLine: 200 });
  });

  it('folds long unchanged runs into markers, keeping context around changes', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    const blocks = withContext(diffLines(before, after), 2);
    expect(blocks[0]).toEqual({ kind: 'hunk', header: '8 unchanged lines' });
    const texts = blocks.flatMap((b) => (b.kind === 'row' ? [`${b.row.op}:${b.row.text}`] : [`@${b.header}`]));
    expect(texts).toEqual(['@8 unchanged lines', 'same:l8', 'same:l9', 'removed:l10', 'added:L10', 'same:l11', 'same:l12', '@7 unchanged lines']);
    expect(withContext(diffLines('same', 'same'))).toEqual([]);
  });
});

describe("the server's unified diff", () => {
  // As core-server's LineDiff writes it for v1 → v2.
  const unified = ['--- v1', '+++ v2', '@@ -1,4 +1,4 @@', ' # Runbook', '-Restart the pod.', '+Drain, then restart the pod.', ' ', ' ## Rollback', '@@ -9 +9,2 @@', ' end', '+appendix', ''].join('\n');

  it('parses hunks into rows with line numbers', () => {
    const blocks = parseUnified(unified);
    expect(blocks[0]).toEqual({ kind: 'hunk', header: '@@ -1,4 +1,4 @@' });
    expect(blocks[1]).toEqual({ kind: 'row', row: { op: 'same', text: '# Runbook', oldLine: 1, newLine: 1 } });
    expect(blocks[2]).toEqual({ kind: 'row', row: { op: 'removed', text: 'Restart the pod.', oldLine: 2 } });
    expect(blocks[3]).toEqual({ kind: 'row', row: { op: 'added', text: 'Drain, then restart the pod.', newLine: 2 } });
    expect(blocks[4]).toEqual({ kind: 'row', row: { op: 'same', text: '', oldLine: 3, newLine: 3 } });
    expect(blocks[6]).toEqual({ kind: 'hunk', header: '@@ -9 +9,2 @@' });
    expect(blocks[8]).toEqual({ kind: 'row', row: { op: 'added', text: 'appendix', newLine: 10 } });
    expect(countChanges(blocks)).toEqual({ added: 2, removed: 1 });
  });

  it('yields nothing for identical versions, and never treats file headers as rows', () => {
    expect(parseUnified('--- v1\n+++ v1\n')).toEqual([]);
    expect(parseUnified('--- a\n+++ b\n@@ -0,0 +1 @@\n+first\n')).toEqual([
      { kind: 'hunk', header: '@@ -0,0 +1 @@' },
      { kind: 'row', row: { op: 'added', text: 'first', newLine: 1 } },
    ]);
  });
});
