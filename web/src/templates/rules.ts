import type { SubcortexTemplate, TemplateRequest } from '../api/types';

// Subcortex templates as the server applies them (core-server Templates/): which template governs a kind, which
// required headings a body lacks, and the form that sets one. The server checks again; this only explains early.

export const wildcardKind = '*';
export const evidenceKinds = ['thread', 'observation', 'attachment', 'url'] as const;
const maxSections = 20;
const maxEvidence = 50;

/** The template for `kind`: its own, else the subcortex's `*` template, else none. */
export function templateFor(templates: readonly SubcortexTemplate[], kind: string): SubcortexTemplate | undefined {
  return templates.find((t) => t.kind === kind) ?? templates.find((t) => t.kind === wildcardKind);
}

/** The required headings (any level, case-insensitive) that `body` does not have, in template order. */
export function missingSections(body: string, sections: readonly string[]): string[] {
  const headings = new Set(
    body
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#+/, '').trim().replace(/#+$/, '').trim().toLowerCase()),
  );
  return sections.filter((section) => !headings.has(section.toLowerCase()));
}

/** Appends the missing headings to a body, so a writer starts from the template's outline. */
export function withSections(body: string, sections: readonly string[]): string {
  const missing = missingSections(body, sections);
  if (missing.length === 0) {
    return body;
  }
  const outline = missing.map((section) => `## ${section}\n\n`).join('\n');
  return body.trim() === '' ? outline : `${body.trimEnd()}\n\n${outline}`;
}

/** Plain-language lines describing what a template asks for. */
export function describeTemplate(template: SubcortexTemplate): string[] {
  const lines: string[] = [];
  if (template.reviewRequired) {
    lines.push('Every new item and edit is reviewed before it is published.');
  }
  if (template.requiredSections.length > 0) {
    lines.push(`Bodies need the sections: ${template.requiredSections.join(', ')}.`);
  }
  if (template.minEvidence > 0) {
    lines.push(`Canon needs at least ${template.minEvidence} evidence link(s) of kind ${template.evidenceKinds.join(', ')}.`);
  }
  return lines.length > 0 ? lines : ['No rules beyond the defaults.'];
}

export interface TemplateForm {
  kind: string;
  /** One heading per line. */
  sections: string;
  reviewRequired: boolean;
  minEvidence: string;
  evidenceKinds: string[];
}

export function formOf(template: SubcortexTemplate | undefined, kind = 'discussion'): TemplateForm {
  return {
    kind: template?.kind ?? kind,
    sections: (template?.requiredSections ?? []).join('\n'),
    reviewRequired: template?.reviewRequired ?? false,
    minEvidence: String(template?.minEvidence ?? 0),
    evidenceKinds: [...(template?.evidenceKinds ?? evidenceKinds)],
  };
}

/** Checks the form as the server does and turns it into the PUT body; errors are keyed like the server's fields. */
export function parseTemplateForm(form: TemplateForm): { request: TemplateRequest } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const kind = form.kind.trim();
  if (kind !== wildcardKind && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(kind)) {
    errors.kind = 'Use * (every kind) or a kind such as incident, comment or runbook.';
  }
  const requiredSections = form.sections
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (requiredSections.length > maxSections || requiredSections.some((s) => s.length > 100)) {
    errors.requiredSections = `At most ${maxSections} headings, each at most 100 characters.`;
  }
  const minEvidence = Number(form.minEvidence);
  if (!Number.isInteger(minEvidence) || minEvidence < 0 || minEvidence > maxEvidence) {
    errors.minEvidence = `A whole number from 0 to ${maxEvidence}.`;
  }
  if (form.evidenceKinds.length === 0) {
    errors.evidenceKinds = 'Choose at least one kind of evidence.';
  }
  if (Object.keys(errors).length > 0) {
    return { errors };
  }
  return { request: { requiredSections, reviewRequired: form.reviewRequired, minEvidence, evidenceKinds: form.evidenceKinds } };
}
