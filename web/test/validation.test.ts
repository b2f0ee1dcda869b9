import { describe, expect, it } from 'vitest';
import { can } from '../src/permissions';
import {
  hasErrors,
  isHandle,
  isLine,
  isSlug,
  slugify,
  validateComment,
  validatePassword,
  validateSearch,
  validateSignIn,
  validateSubcortex,
  validateThread,
} from '../src/validation';

describe('form validation', () => {
  it('matches the server slug rule', () => {
    for (const good of ['ops', 'payments-eu', 'a1', 'x'.repeat(64)]) {
      expect(isSlug(good)).toBe(true);
    }
    for (const bad of ['a', 'Ops', '-ops', 'ops-', 'a--b', 'a b', 'x'.repeat(65), 'é']) {
      expect(isSlug(bad)).toBe(false);
    }
  });

  it('matches the server handle rule', () => {
    expect(isHandle('ada.l_1')).toBe(true);
    expect(isHandle('.ada')).toBe(false);
    expect(isHandle('Ada')).toBe(false);
  });

  it('suggests valid slugs from names', () => {
    expect(slugify('Payments & Billing!')).toBe('payments-billing');
    expect(slugify('  Équipe Café ')).toBe('equipe-cafe');
    expect(isSlug(slugify(`${'word '.repeat(30)}end`))).toBe(true);
  });

  it('rejects blank, multi-line and control-character titles', () => {
    expect(isLine('A title', 300)).toBe(true);
    expect(isLine('   ', 300)).toBe(false);
    expect(isLine('two\nlines', 300)).toBe(false);
    expect(isLine('bell\u0007', 300)).toBe(false);
    expect(validateThread({ title: 'x'.repeat(301), body: 'ok' }).title).toBeDefined();
    expect(validateThread({ title: 'ok', body: 'tabs\tand\nnewlines are fine' })).toEqual({});
  });

  it('names each invalid field of a subcortex', () => {
    const errors = validateSubcortex({ slug: 'Bad Slug', name: '', description: 'ok' });
    expect(Object.keys(errors).sort()).toEqual(['name', 'slug']);
    expect(hasErrors(errors)).toBe(true);
    expect(hasErrors(validateSubcortex({ slug: 'ops', name: 'Operations', description: '' }))).toBe(false);
  });

  it('checks comments, sign-in, passwords and search queries', () => {
    expect(validateComment(' ').body).toBeDefined();
    expect(validateSignIn({ handle: 'admin', password: '' })).toEqual({ password: 'Enter your password.' });
    expect(validatePassword({ password: 'short', confirm: 'short' }).password).toBeDefined();
    expect(validatePassword({ password: 'long enough pass', confirm: 'different one!!' })).toEqual({ confirm: 'The two passwords differ.' });
    expect(validateSearch('  ').q).toBeDefined();
    expect(validateSearch('x'.repeat(501)).q).toBeDefined();
    expect(validateSearch('disk full')).toEqual({});
  });
});

describe('permissions shown in the UI', () => {
  it('offers creation to writers and administration to admins only', () => {
    expect(can('member', 'createSubcortex')).toBe(true);
    expect(can('reader', 'createSubcortex')).toBe(false);
    expect(can('reader', 'createComment')).toBe(false);
    expect(can('reviewer', 'administer')).toBe(false);
    expect(can('admin', 'administer')).toBe(true);
    expect(can(undefined, 'manageOwnKeys')).toBe(false);
    expect(can('reader', 'readPrincipals')).toBe(false);
    expect(can('member', 'readPrincipals')).toBe(true);
  });
});
