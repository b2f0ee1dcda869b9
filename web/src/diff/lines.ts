// Line diffs for review: the server's unified diffs (artifact version against version) parsed into rows, and a
// client-side diff for text that is not a stored version yet (a draft against the canon it would change).

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffRow {
  op: DiffOp;
  text: string;
  /** 1-based line in the old text; undefined for added lines. */
  oldLine?: number | undefined;
  /** 1-based line in the new text; undefined for removed lines. */
  newLine?: number | undefined;
}

/** A hunk header row (`@@ -3,4 +3,5 @@`) or a run of diff rows. */
export type DiffBlock = { kind: 'hunk'; header: string } | { kind: 'row'; row: DiffRow };

export function splitLines(text: string): string[] {
  if (text === '') {
    return [];
  }
  return text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
}

/** Longest common subsequence of lines; quadratic, which is fine for documents a person reviews. */
export function diffLines(before: string, after: string): DiffRow[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common prefix and suffix are cheap to strip and keep the quadratic table small for typical edits.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const width = midB.length + 1;
  const lcs = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      lcs[i * width + j] = midA[i] === midB[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }

  const rows: DiffRow[] = [];
  for (let i = 0; i < start; i++) {
    rows.push({ op: 'same', text: a[i] ?? '', oldLine: i + 1, newLine: i + 1 });
  }
  let x = 0;
  let y = 0;
  while (x < midA.length || y < midB.length) {
    if (x < midA.length && y < midB.length && midA[x] === midB[y]) {
      rows.push({ op: 'same', text: midA[x] ?? '', oldLine: start + x + 1, newLine: start + y + 1 });
      x++;
      y++;
    } else if (x < midA.length && (y === midB.length || (lcs[(x + 1) * width + y] ?? 0) >= (lcs[x * width + y + 1] ?? 0))) {
      rows.push({ op: 'removed', text: midA[x] ?? '', oldLine: start + x + 1 });
      x++;
    } else {
      rows.push({ op: 'added', text: midB[y] ?? '', newLine: start + y + 1 });
      y++;
    }
  }
  for (let i = 0; i < a.length - endA; i++) {
    rows.push({ op: 'same', text: a[endA + i] ?? '', oldLine: endA + i + 1, newLine: endB + i + 1 });
  }
  return rows;
}

/** Keeps changed rows and `context` unchanged rows around them; longer unchanged runs become a hunk marker. */
export function withContext(rows: readonly DiffRow[], context = 3): DiffBlock[] {
  const keep = new Array<boolean>(rows.length).fill(false);
  rows.forEach((row, i) => {
    if (row.op !== 'same') {
      for (let k = Math.max(0, i - context); k <= Math.min(rows.length - 1, i + context); k++) {
        keep[k] = true;
      }
    }
  });
  const blocks: DiffBlock[] = [];
  let skipped = 0;
  rows.forEach((row, i) => {
    if (keep[i]) {
      if (skipped > 0) {
        blocks.push({ kind: 'hunk', header: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
        skipped = 0;
      }
      blocks.push({ kind: 'row', row });
    } else {
      skipped++;
    }
  });
  if (skipped > 0 && blocks.length > 0) {
    blocks.push({ kind: 'hunk', header: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  }
  return blocks;
}

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parses core-server's unified diff (`--- v1`, `+++ v2`, `@@ … @@` hunks); lines it does not know are skipped. */
export function parseUnified(unified: string): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const line of unified.split('\n')) {
    const header = hunkHeader.exec(line);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[3]);
      // A zero-length range names the line before it; the next line in that file is one after.
      if (header[2] === '0') {
        oldLine++;
      }
      if (header[4] === '0') {
        newLine++;
      }
      inHunk = true;
      blocks.push({ kind: 'hunk', header: line });
      continue;
    }
    if (!inHunk) {
      continue;
    }
    const text = line.slice(1);
    switch (line[0]) {
      case ' ':
        blocks.push({ kind: 'row', row: { op: 'same', text, oldLine: oldLine++, newLine: newLine++ } });
        break;
      case '-':
        blocks.push({ kind: 'row', row: { op: 'removed', text, oldLine: oldLine++ } });
        break;
      case '+':
        blocks.push({ kind: 'row', row: { op: 'added', text, newLine: newLine++ } });
        break;
      default:
        break;
    }
  }
  return blocks;
}

export function countChanges(blocks: readonly DiffBlock[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const block of blocks) {
    if (block.kind === 'row') {
      if (block.row.op === 'added') {
        added++;
      } else if (block.row.op === 'removed') {
        removed++;
      }
    }
  }
  return { added, removed };
}
