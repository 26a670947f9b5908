import { describe, expect, it } from 'vitest';
import { clientOptionsFor, databaseInUrl } from '../../src/readstore/mongo/connection-options.js';

describe('mongodb read store: connection options', () => {
  it('given a plain URL, then short timeouts make an unreachable server fail fast', () => {
    const options = clientOptionsFor('mongodb://db:27017/ledger');

    expect(options.serverSelectionTimeoutMS).toBe(2_000);
    expect(options.connectTimeoutMS).toBe(2_000);
    expect(options.socketTimeoutMS).toBeGreaterThan(0);
  });

  it('given the URL sets a timeout itself (any case), then the URL value is left to win', () => {
    const options = clientOptionsFor('mongodb://db:27017/?serverselectiontimeoutms=10000&socketTimeoutMS=0');

    expect(options).not.toHaveProperty('serverSelectionTimeoutMS');
    expect(options).not.toHaveProperty('socketTimeoutMS');
    expect(options.connectTimeoutMS).toBe(2_000);
  });

  it('given a database in the URL path, then it is the default database', () => {
    expect(databaseInUrl('mongodb://user:pw@a:1,b:2/ledger?replicaSet=rs0')).toBe('ledger');
    expect(databaseInUrl('mongodb+srv://cluster.example.net/ledger')).toBe('ledger');
  });

  it('given no database in the URL path, then there is none', () => {
    expect(databaseInUrl('mongodb://db:27017')).toBeUndefined();
    expect(databaseInUrl('mongodb://db:27017/')).toBeUndefined();
    expect(databaseInUrl('mongodb://db:27017/?authSource=admin')).toBeUndefined();
  });
});
