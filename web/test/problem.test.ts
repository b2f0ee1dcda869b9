import { describe, expect, it } from 'vitest';
import { ApiError, fieldMessages, parseProblem, problemForStatus, problemMessage } from '../src/api/problem';

describe('parseProblem', () => {
  it('reads a validation problem with its field errors', () => {
    const problem = parseProblem(
      {
        type: 'urn:cortex:problem:validation',
        title: 'One or more fields are invalid.',
        status: 400,
        detail: 'See the errors field for the invalid fields.',
        errors: { slug: ['This slug is already taken.'], name: ['Required.', 'Too long.'] },
      },
      400,
    );
    expect(problem.type).toBe('urn:cortex:problem:validation');
    expect(problem.errors).toEqual({ slug: ['This slug is already taken.'], name: ['Required.', 'Too long.'] });
    expect(fieldMessages(problem)).toEqual({ slug: 'This slug is already taken.', name: 'Required. Too long.' });
  });

  it('falls back to a readable problem for a body that is not a problem', () => {
    const problem = parseProblem('<html>Bad gateway</html>', 502, 'Bad Gateway');
    expect(problem).toEqual({ type: 'urn:cortex:problem:http-502', title: 'The server is unreachable.', status: 502 });
    expect(problemMessage(problem)).toBe('The server is unreachable.');
  });

  it('ignores fields of the wrong type instead of trusting them', () => {
    const problem = parseProblem({ type: 42, title: ['x'], status: '500', detail: {}, errors: { a: [1, 'ok'], b: 'one', c: 5 } }, 500);
    expect(problem.type).toBe('urn:cortex:problem:http-500');
    expect(problem.title).toBe('The server had an unexpected error.');
    expect(problem.status).toBe(500);
    expect(problem.detail).toBeUndefined();
    expect(problem.errors).toEqual({ a: ['ok'], b: ['one'] });
  });

  it('prefers the detail over the title in messages', () => {
    expect(problemMessage({ type: 't', title: 'Forbidden.', status: 403, detail: 'Only admins may create principals.' })).toBe(
      'Only admins may create principals.',
    );
    expect(problemMessage(problemForStatus(418, "I'm a teapot"))).toBe("I'm a teapot");
  });

  it('wraps a problem in an ApiError whose message is the person-facing sentence', () => {
    const error = new ApiError({ type: 'urn:cortex:problem:not-found', title: 'Not found.', status: 404, detail: 'Thread x was not found.' });
    expect(error.status).toBe(404);
    expect(error.message).toBe('Thread x was not found.');
  });
});
