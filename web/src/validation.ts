// The shape rules of shared-model's Validation/Rules.cs, checked before a request is sent so a person sees
// the problem at once. The server checks them again and its answer wins.

export const limits = {
  slug: 64,
  handle: 40,
  name: 100,
  description: 2_000,
  title: 300,
  body: 100_000,
  comment: 50_000,
  keyName: 100,
  searchQuery: 500,
  passwordMin: 12,
  passwordMax: 256,
} as const;

export type Errors<F extends string> = Partial<Record<F, string>>;

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const handlePattern = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
const forbiddenControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function isSlug(value: string): boolean {
  return value.length >= 2 && value.length <= limits.slug && slugPattern.test(value);
}

export function isHandle(value: string): boolean {
  return value.length >= 2 && value.length <= limits.handle && handlePattern.test(value);
}

export function isText(value: string, max: number, allowEmpty = false): boolean {
  if (value.length > max || (!allowEmpty && value.trim() === '')) {
    return false;
  }
  return !forbiddenControl.test(value);
}

export function isLine(value: string, max: number): boolean {
  return isText(value, max) && !/[\r\n]/.test(value);
}

/** Suggests a slug from a name: "Payments & Billing!" → "payments-billing". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, limits.slug)
    .replace(/-+$/, '');
}

const lineMessage = (max: number): string => `Required: a single line of at most ${max} characters.`;
const textMessage = (max: number): string => `Required: at most ${max} characters.`;

export interface SubcortexForm {
  slug: string;
  name: string;
  description: string;
}

export function validateSubcortex(form: SubcortexForm): Errors<keyof SubcortexForm> {
  const errors: Errors<keyof SubcortexForm> = {};
  if (!isSlug(form.slug)) {
    errors.slug = `Must be 2 to ${limits.slug} lowercase letters, digits or inner single hyphens.`;
  }
  if (!isLine(form.name, limits.name)) {
    errors.name = lineMessage(limits.name);
  }
  if (!isText(form.description, limits.description, true)) {
    errors.description = `Must be at most ${limits.description} characters.`;
  }
  return errors;
}

export interface ThreadForm {
  title: string;
  body: string;
}

export function validateThread(form: ThreadForm): Errors<keyof ThreadForm> {
  const errors: Errors<keyof ThreadForm> = {};
  if (!isLine(form.title, limits.title)) {
    errors.title = lineMessage(limits.title);
  }
  if (!isText(form.body, limits.body)) {
    errors.body = textMessage(limits.body);
  }
  return errors;
}

export function validateComment(body: string): Errors<'body'> {
  return isText(body, limits.comment) ? {} : { body: textMessage(limits.comment) };
}

export interface SignInForm {
  handle: string;
  password: string;
}

export function validateSignIn(form: SignInForm): Errors<keyof SignInForm> {
  const errors: Errors<keyof SignInForm> = {};
  if (!isHandle(form.handle.trim())) {
    errors.handle = 'Enter your handle (lowercase letters, digits, ".", "_" or "-").';
  }
  if (form.password === '') {
    errors.password = 'Enter your password.';
  }
  return errors;
}

export function validateKeyName(name: string): Errors<'name'> {
  return isLine(name, limits.keyName) ? {} : { name: lineMessage(limits.keyName) };
}

export interface PasswordForm {
  password: string;
  confirm: string;
}

export function validatePassword(form: PasswordForm): Errors<keyof PasswordForm> {
  const errors: Errors<keyof PasswordForm> = {};
  if (form.password.length < limits.passwordMin || form.password.length > limits.passwordMax) {
    errors.password = `Must be ${limits.passwordMin} to ${limits.passwordMax} characters.`;
  }
  if (form.confirm !== form.password) {
    errors.confirm = 'The two passwords differ.';
  }
  return errors;
}

export function validateSearch(q: string): Errors<'q'> {
  const trimmed = q.trim();
  if (trimmed === '') {
    return { q: 'Enter something to search for.' };
  }
  return trimmed.length > limits.searchQuery ? { q: `At most ${limits.searchQuery} characters.` } : {};
}

export function hasErrors<F extends string>(errors: Errors<F>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

export interface PrincipalForm {
  handle: string;
  displayName: string;
}

export function validatePrincipal(form: PrincipalForm): Errors<keyof PrincipalForm> {
  const errors: Errors<keyof PrincipalForm> = {};
  if (!isHandle(form.handle)) {
    errors.handle = `Must be 2 to ${limits.handle} lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit.`;
  }
  if (!isLine(form.displayName, limits.name)) {
    errors.displayName = lineMessage(limits.name);
  }
  return errors;
}
