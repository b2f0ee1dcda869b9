import { describe, expect, it } from 'vitest';
import type { Artifact, ArtifactVersion } from '../src/api/types';
import { acceptanceOf } from '../src/artifacts/acceptance';
import { cleanEvidence, evidenceShortfall, evidenceTarget, isHttpUrl, validateEvidence } from '../src/artifacts/evidence';

describe('evidence links', () => {
  it('lead to thread pages and http(s) pages only', () => {
    expect(evidenceTarget({ kind: 'thread', target: 'T1' })).toEqual({ kind: 'route', route: { name: 'thread', id: 'T1' } });
    expect(evidenceTarget({ kind: 'url', target: 'https://example.com/x' })).toEqual({ kind: 'external', url: 'https://example.com/x' });
    expect(evidenceTarget({ kind: 'url', target: 'javascript:alert(1)' })).toEqual({ kind: 'none' });
    expect(evidenceTarget({ kind: 'url', target: 'data:text/html,<script>' })).toEqual({ kind: 'none' });
    expect(evidenceTarget({ kind: 'observation', target: 'O1' })).toEqual({ kind: 'none' });
    expect(isHttpUrl('http://x')).toBe(true);
    expect(isHttpUrl('/relative')).toBe(false);
  });

  it('are checked per row before sending, as the server checks them', () => {
    const errors = validateEvidence([
      { kind: 'thread', target: 'T1' },
      { kind: 'url', target: 'ftp://x' },
      { kind: 'gossip', target: 'x' },
      { kind: 'observation', target: ' ' },
      { kind: 'url', target: 'https://ok.example' },
    ]);
    expect(Object.keys(errors).map(Number)).toEqual([1, 2, 3]);
    expect(errors[1]).toMatch(/http or https/);
    expect(errors[2]).toMatch(/Kind must be one of/);
  });

  it('drop empty rows and trim targets', () => {
    expect(cleanEvidence([{ kind: 'thread', target: ' T1 ' }, { kind: 'url', target: '' }])).toEqual([{ kind: 'thread', target: 'T1' }]);
  });

  it('count toward a template minimum only in the kinds it accepts', () => {
    const links = [
      { kind: 'thread', target: 'T1' },
      { kind: 'url', target: 'https://x' },
    ];
    expect(evidenceShortfall(links, 2, ['thread', 'observation'])).toEqual({ counted: 1, missing: 1 });
    expect(evidenceShortfall(links, 1, ['thread'])).toEqual({ counted: 1, missing: 0 });
  });
});

describe('accepting a version into canon', () => {
  const artifact = { state: 'active' } as Artifact;
  const version = (over: Partial<ArtifactVersion>) => ({ state: 'proposed', authorId: 'amy', editors: [], ...over }) as ArtifactVersion;
  const rob = { id: 'rob', role: 'reviewer' } as const;

  it('is offered to a reviewer who neither wrote nor co-edited a proposed version', () => {
    expect(acceptanceOf(artifact, version({}), rob)).toBe('accept');
    expect(acceptanceOf(artifact, version({ editors: ['max'] }), rob)).toBe('accept');
  });

  it('is refused to its author and its co-editors, as the canon gate refuses them', () => {
    expect(acceptanceOf(artifact, version({ authorId: 'rob' }), rob)).toBe('own');
    expect(acceptanceOf(artifact, version({ editors: ['amy', 'rob'] }), rob)).toBe('coEdited');
  });

  it('is not offered for canon, superseded versions, inactive artifacts or members', () => {
    expect(acceptanceOf(artifact, version({ state: 'canon' }), rob)).toBe('none');
    expect(acceptanceOf(artifact, version({ state: 'superseded' }), rob)).toBe('none');
    expect(acceptanceOf({ state: 'deprecated' } as Artifact, version({}), rob)).toBe('none');
    expect(acceptanceOf(artifact, version({}), { id: 'mia', role: 'member' })).toBe('none');
  });
});
