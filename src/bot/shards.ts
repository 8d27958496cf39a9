/**
 * Gateway sharding: SHARD_COUNT (a number, or `auto` for Discord's recommendation) and SHARD_IDS (`0,1`: the
 * shards this process runs, so two machines can split one bot).
 *
 * Why discord.js's internal sharding (one Client holding several gateway connections) and not a
 * ShardingManager spawning a process per shard: every Lodestone process holds the whole index, glossary and
 * embedding model — 230 MB RSS measured with the repo's corpus and its offline model (more with a hub model
 * or a larger corpus), against well under 1 MB for one more gateway connection. A process per shard would
 * pay that per shard, and each would load (or, on a first start, build) the index. What a shard adds is
 * gateway traffic, which is light next to answering; the answering shares one index. So a process runs all
 * of its shards over one Librarian, one rate limiter and one state store. Where one process is not enough
 * (more cores, more machines), SHARD_IDS runs a subset of the same SHARD_COUNT in each process; with
 * DATABASE_URL they share rate limits, thread memory and feedback, and without it each warns once that
 * those are its own.
 */
import type { ClientOptions } from 'discord.js';
import { ConfigError } from '../core/errors.js';

export interface ShardPlan {
  /** The shards this process runs; 'auto': all of Discord's recommended count. */
  ids: number[] | 'auto';
  /** The bot's total shard count (every process of the bot must agree on it); undefined with 'auto'. */
  count?: number;
}

const MAX_SHARDS = 4096;

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(`${name}=${value} is not a whole number from ${min} to ${max}`);
  return n;
}

/** SHARD_COUNT / SHARD_IDS from the environment; undefined (one shard, as without them) when neither is set. */
export function shardPlanFromEnv(env: NodeJS.ProcessEnv = process.env): ShardPlan | undefined {
  const countSetting = env.SHARD_COUNT?.trim() ?? '';
  const idsSetting = env.SHARD_IDS?.trim() ?? '';
  if (!countSetting && !idsSetting) return undefined;
  if (!countSetting) throw new ConfigError('SHARD_IDS is set without SHARD_COUNT: set SHARD_COUNT to the bot\'s total number of shards');
  if (countSetting.toLowerCase() === 'auto') {
    if (idsSetting) throw new ConfigError('SHARD_IDS needs a numeric SHARD_COUNT, not auto: every process of the bot must agree on the count');
    return { ids: 'auto' };
  }
  const count = wholeNumber('SHARD_COUNT', countSetting, 1, MAX_SHARDS);
  if (!idsSetting) return { ids: Array.from({ length: count }, (_, i) => i), count };
  const ids = idsSetting.split(/[\s,]+/).filter(Boolean).map((id) => wholeNumber('SHARD_IDS', id, 0, count - 1));
  if (new Set(ids).size !== ids.length) throw new ConfigError(`SHARD_IDS=${idsSetting} names a shard twice`);
  return { ids: ids.sort((a, b) => a - b), count };
}

/** The Client options that run the plan's shards (none: discord.js's default single shard). */
export function clientShardOptions(plan: ShardPlan | undefined): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (!plan) return {};
  return plan.ids === 'auto' ? { shards: 'auto' } : { shards: plan.ids, shardCount: plan.count };
}

/** Whether this process runs shard 0: the one that registers the commands, so N processes do not all do it. */
export function runsFirstShard(plan: ShardPlan | undefined): boolean {
  return !plan || plan.ids === 'auto' || plan.ids.includes(0);
}

/** Whether other processes run the rest of the bot's shards (SHARD_IDS names a subset). */
export function runsSomeShards(plan: ShardPlan | undefined): plan is ShardPlan & { ids: number[]; count: number } {
  return Boolean(plan && plan.ids !== 'auto' && plan.count !== undefined && plan.ids.length < plan.count);
}

/** The one warning a process running part of the bot gives when its state is its own (no DATABASE_URL). */
export function unsharedStateWarning(plan: ShardPlan | undefined, sharedState: boolean): string | undefined {
  if (sharedState || !runsSomeShards(plan)) return undefined;
  return (
    `this process runs shard${plan.ids.length === 1 ? '' : 's'} ${plan.ids.join(', ')} of ${plan.count} (SHARD_IDS) without DATABASE_URL: ` +
    'per-user rate limits, thread memory and feedback are per process — the processes running the other shards keep their own; set DATABASE_URL to share them'
  );
}
