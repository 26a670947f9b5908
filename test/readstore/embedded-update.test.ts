// How the embedded store applies update operators in memory, beyond what the contract
// checks through a store: the refusals MongoDB would also give, and the id staying put.
import { describe, expect, it } from 'vitest';
import { applyUpdate } from '../../src/readstore/embedded/apply-update.js';
import type { Doc, Update } from '../../src/readstore/port.js';

describe('applying update operators', () => {
  it('returns a new document and leaves the one given untouched', () => {
    const current: Doc = { id: 'f1', owner: { name: 'ann' }, steps: [1] };

    const updated = applyUpdate(current, 'f1', { $set: { 'owner.name': 'bob' }, $push: { steps: 2 } });

    expect(updated).toEqual({ id: 'f1', owner: { name: 'bob' }, steps: [1, 2] });
    expect(current).toEqual({ id: 'f1', owner: { name: 'ann' }, steps: [1] });
  });

  it('starts an upserted document from its id alone', () => {
    expect(applyUpdate(null, 'new', {})).toEqual({ id: 'new' });
  });

  it('applies $setOnInsert only when inserting', () => {
    const update: Update = { $setOnInsert: { createdAt: 't1' } };

    expect(applyUpdate(null, 'new', update)).toEqual({ id: 'new', createdAt: 't1' });
    expect(applyUpdate({ id: 'old' }, 'old', update)).toEqual({ id: 'old' });
  });

  it('never changes the id: an id path is ignored', () => {
    expect(applyUpdate({ id: 'a', n: 1 }, 'a', { $set: { id: 'b', n: 2 } })).toEqual({ id: 'a', n: 2 });
  });

  it('refuses a path inside the id', () => {
    expect(() => applyUpdate({ id: 'a' }, 'a', { $set: { 'id.part': 1 } })).toThrow(/id is the document's key/);
  });

  it('$push with $each appends every value', () => {
    expect(applyUpdate({ id: 'd', steps: [1] }, 'd', { $push: { steps: { $each: [2, 3] } } })).toEqual({ id: 'd', steps: [1, 2, 3] });
  });

  it('$unset through a value that is not an object does nothing', () => {
    expect(applyUpdate({ id: 'a', name: 'x' }, 'a', { $unset: { 'name.first': '' } })).toEqual({ id: 'a', name: 'x' });
  });

  it.each<[string, Doc, Update, RegExp]>([
    ['an unknown operator', { id: 'a' }, { $rename: { a: 'b' } } as Update, /unsupported update operator \$rename/],
    ['two operators on the same path', { id: 'a', n: 1 }, { $set: { n: 2 }, $inc: { n: 1 } }, /conflict/],
    ['a path inside another updated path', { id: 'a' }, { $set: { owner: {}, 'owner.name': 'x' } }, /conflict/],
    ['$inc on a string', { id: 'a', n: '1' }, { $inc: { n: 1 } }, /not a number/],
    ['$inc by something that is not a number', { id: 'a', n: 1 }, { $inc: { n: '1' as unknown as number } }, /finite number/],
    ['$push onto something that is not an array', { id: 'a', steps: 'x' }, { $push: { steps: 1 } }, /not an array/],
    ['$set through a value that is not an object', { id: 'a', owner: 'ann' }, { $set: { 'owner.name': 'bob' } }, /owner is not an object/],
    ['$set through an array', { id: 'a', tags: ['x'] }, { $set: { 'tags.first': 'y' } }, /tags is not an object/],
    ['an empty path segment', { id: 'a' }, { $set: { 'owner..name': 1 } }, /invalid update path/],
    ['a $-prefixed path segment', { id: 'a' }, { $set: { $where: 1 } }, /invalid update path/],
  ])('refuses %s', (_name, current, update, message) => {
    expect(() => applyUpdate(current, current.id, update)).toThrow(message);
  });
});
