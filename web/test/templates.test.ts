import { describe, expect, it } from 'vitest';
import type { SubcortexTemplate } from '../src/api/types';
import { describeTemplate, formOf, missingSections, parseTemplateForm, templateFor, withSections } from '../src/templates/rules';

const template = (over: Partial<SubcortexTemplate>): SubcortexTemplate => ({
  subcortexId: 's1',
  kind: 'incident',
  requiredSections: [],
  reviewRequired: false,
  minEvidence: 0,
  evidenceKinds: ['thread', 'observation', 'attachment', 'url'],
  version: 1,
  updatedAt: '2026-11-27T00:00:00Z',
  ...over,
});

describe('subcortex templates', () => {
  it('govern a kind by its own template, else by the wildcard', () => {
    const all = [template({ kind: '*', reviewRequired: true }), template({ kind: 'incident' })];
    expect(templateFor(all, 'incident')?.kind).toBe('incident');
    expect(templateFor(all, 'question')?.kind).toBe('*');
    expect(templateFor([], 'question')).toBeUndefined();
  });

  it('find missing headings at any level, case-insensitively, as the server does', () => {
    const body = '# impact\n\nAll users.\n\n### Timeline ###\n\n10:00 down';
    expect(missingSections(body, ['Impact', 'Timeline', 'Follow-up'])).toEqual(['Follow-up']);
    expect(missingSections('Impact without a heading', ['Impact'])).toEqual(['Impact']);
  });

  it('add only the missing headings to a body', () => {
    expect(withSections('', ['Impact', 'Timeline'])).toBe('## Impact\n\n\n## Timeline\n\n');
    expect(withSections('## Impact\n\nAll users.', ['Impact', 'Timeline'])).toBe('## Impact\n\nAll users.\n\n## Timeline\n\n');
    expect(withSections('## Impact', ['impact'])).toBe('## Impact');
  });

  it('are described in plain words', () => {
    expect(describeTemplate(template({}))).toEqual(['No rules beyond the defaults.']);
    expect(describeTemplate(template({ reviewRequired: true, requiredSections: ['Impact'], minEvidence: 2, evidenceKinds: ['thread'] }))).toEqual([
      'Every new item and edit is reviewed before it is published.',
      'Bodies need the sections: Impact.',
      'Canon needs at least 2 evidence link(s) of kind thread.',
    ]);
  });

  it('are set through a form checked like the server checks it', () => {
    const form = { ...formOf(undefined, 'incident'), sections: ' Impact \n\nTimeline\n', minEvidence: '1' };
    expect(parseTemplateForm(form)).toEqual({
      request: { requiredSections: ['Impact', 'Timeline'], reviewRequired: false, minEvidence: 1, evidenceKinds: ['thread', 'observation', 'attachment', 'url'] },
    });
    expect(parseTemplateForm({ ...form, kind: 'Not A Kind', minEvidence: '1.5', evidenceKinds: [] })).toEqual({
      errors: {
        kind: 'Use * (every kind) or a kind such as incident, comment or runbook.',
        minEvidence: 'A whole number from 0 to 50.',
        evidenceKinds: 'Choose at least one kind of evidence.',
      },
    });
    expect(formOf(template({ kind: '*', requiredSections: ['A', 'B'], minEvidence: 3 }))).toMatchObject({ kind: '*', sections: 'A\nB', minEvidence: '3' });
  });
});
