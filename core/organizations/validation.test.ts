import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { parseCreateOrganization, slugify } from './validation';

describe('slugify', () => {
  it.each([
    ["St. Mary's Church", 'st-marys-church'],
    ['  École  Saint-Éloi ', 'ecole-saint-eloi'],
    ['Food Bank #42', 'food-bank-42'],
    ['!!!', ''],
  ])('%s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });
});

describe('parseCreateOrganization', () => {
  it('derives the slug from the name when none is given', () => {
    expect(parseCreateOrganization({ name: 'Grace Chapel', slug: null })).toEqual({
      name: 'Grace Chapel',
      slug: 'grace-chapel',
      slugGiven: false,
    });
  });

  it.each([
    ['name', { name: 'x' }],
    ['name', { name: 'x'.repeat(101) }],
    ['slug', { name: 'Grace Chapel', slug: 'no spaces' }],
    ['slug', { name: 'Grace Chapel', slug: '-dash-' }],
    ['slug', { name: '!!!' }],
  ])('rejects a bad %s', (field, input) => {
    try {
      parseCreateOrganization(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).field).toBe(field);
    }
  });
});
