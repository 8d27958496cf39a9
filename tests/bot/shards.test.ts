/** SHARD_COUNT / SHARD_IDS as `npm start` reads them: what a process runs, and the one-line errors for bad values. */
import { describe, expect, it } from 'vitest';
import { botOptionsFromEnv } from '../../src/bot/client.js';
import { clientShardOptions, runsFirstShard, shardPlanFromEnv, unsharedStateWarning } from '../../src/bot/shards.js';
import { ConfigError } from '../../src/core/errors.js';

describe('shard settings', () => {
  it('unset: one shard, as before', () => {
    expect(shardPlanFromEnv({})).toBeUndefined();
    expect(clientShardOptions(undefined)).toEqual({});
    expect(runsFirstShard(undefined)).toBe(true);
  });

  it('SHARD_COUNT alone runs every shard in this process; auto asks Discord for the count', () => {
    expect(shardPlanFromEnv({ SHARD_COUNT: '3' })).toEqual({ ids: [0, 1, 2], count: 3 });
    expect(clientShardOptions({ ids: [0, 1, 2], count: 3 })).toEqual({ shards: [0, 1, 2], shardCount: 3 });
    expect(shardPlanFromEnv({ SHARD_COUNT: 'auto' })).toEqual({ ids: 'auto' });
    expect(clientShardOptions({ ids: 'auto' })).toEqual({ shards: 'auto' });
  });

  it('SHARD_IDS runs a subset, so machines split one bot; only shard 0 registers the commands', () => {
    const second = shardPlanFromEnv({ SHARD_COUNT: '4', SHARD_IDS: '3, 2' });
    expect(second).toEqual({ ids: [2, 3], count: 4 });
    expect(runsFirstShard(second)).toBe(false);
    expect(runsFirstShard(shardPlanFromEnv({ SHARD_COUNT: '4', SHARD_IDS: '0,1' }))).toBe(true);
    expect(botOptionsFromEnv({ DISCORD_TOKEN: 't', SHARD_COUNT: '2', SHARD_IDS: '1' }).shards).toEqual({ ids: [1], count: 2 });
  });

  it('a process running part of the bot warns that its state is its own, unless DATABASE_URL shares it', () => {
    expect(unsharedStateWarning({ ids: [1], count: 2 }, false)).toMatch(/shard 1 of 2 .*without DATABASE_URL: per-user rate limits, thread memory and feedback are per process/);
    expect(unsharedStateWarning({ ids: [1], count: 2 }, true)).toBeUndefined();
    // all shards in one process share one rate limiter and one state
    expect(unsharedStateWarning({ ids: [0, 1], count: 2 }, false)).toBeUndefined();
    expect(unsharedStateWarning(undefined, false)).toBeUndefined();
  });

  it.each([
    [{ SHARD_COUNT: 'two' }, 'SHARD_COUNT=two is not a whole number from 1 to 4096'],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT=0 is not a whole number from 1 to 4096'],
    [{ SHARD_IDS: '0' }, 'SHARD_IDS is set without SHARD_COUNT'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '2' }, 'SHARD_IDS=2 is not a whole number from 0 to 1'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '1,1' }, 'SHARD_IDS=1,1 names a shard twice'],
    [{ SHARD_COUNT: 'auto', SHARD_IDS: '0' }, 'SHARD_IDS needs a numeric SHARD_COUNT, not auto'],
  ])('%o is a one-line ConfigError', (env, message) => {
    expect(() => shardPlanFromEnv(env)).toThrow(ConfigError);
    expect(() => shardPlanFromEnv(env)).toThrow(message);
  });
});
