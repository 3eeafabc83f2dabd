import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { readCloudAssembly } from '../local/cloud-assembly';
import { PROJECT_ROOT, STEWARD_DIRECTORY, SYNTH_CACHE } from '../local/paths';
import { synthesize } from '../local/synth';
import { runPhase } from './phases';
import type { Scale, SeedManifest } from './seed-data';

/** The two snapshots of a seed: the organization alone, and with the rest of the table. */
export type Seed = {
  manifest: SeedManifest;
  /** Data folder with `inOrganization` work orders in the table. */
  small: string;
  /** Data folder with `inTable` work orders in the table. */
  large: string;
  reused: boolean;
  seedSeconds: number;
};

/**
 * The code a seed's data depends on; with the synthesized tables it writes, it keys the cache
 * (`rm -rf .steward/bench` forces a fresh seed).
 */
const SEED_INPUTS = [
  'bench/seed-data.ts',
  'tests/support/stored-work-orders.ts',
  'amplify/functions/shared/stores/dynamo-items.ts',
  'core/work-orders/derived-fields.ts',
];
/** The tables a seed writes; any other table is created empty when a snapshot starts. */
const SEEDED_MODELS = ['Organization', 'OrganizationMember', 'WorkOrder', 'WorkOrderEvent'];

export async function seedKey(scale: Scale): Promise<string> {
  const synth = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
  const tables = readCloudAssembly(synth.directory)
    .tables.filter((t) => SEEDED_MODELS.includes(t.modelName ?? ''))
    .map((t) => ({
      name: t.tableName,
      keys: t.keySchema,
      indexes: t.globalSecondaryIndexes,
      stream: t.streamViewType,
    }));
  const hash = createHash('sha256').update(JSON.stringify({ scale, tables }));
  for (const file of SEED_INPUTS) hash.update(readFileSync(path.join(PROJECT_ROOT, file)));
  return hash.digest('hex').slice(0, 16);
}

const CACHE = path.join(STEWARD_DIRECTORY, 'bench');

/** Returns the cached seed for the scale, or builds one (minutes) and caches it. */
export async function ensureSeed(scale: Scale, log: (line: string) => void): Promise<Seed> {
  const label = `${scale.inTable}-${await seedKey(scale)}`;
  const folder = path.join(CACHE, label);
  const manifestFile = path.join(folder, 'seed.json');
  const started = Date.now();
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SeedManifest;
    return {
      manifest,
      small: path.join(folder, 'small'),
      large: path.join(folder, 'large'),
      reused: true,
      seedSeconds: 0,
    };
  }
  log(`Seeding ${scale.inTable} work orders (cached afterwards under .steward/bench/${label})`);
  // Seeds of this scale from other code or schema are of no use any more.
  mkdirSync(CACHE, { recursive: true });
  for (const old of readdirSync(CACHE))
    if (old.startsWith(`${scale.inTable}-`))
      rmSync(path.join(CACHE, old), { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const build = path.join(folder, 'build');
  const manifest = await runPhase<SeedManifest>({
    phase: 'seed-organization',
    dataDirectory: build,
    scale,
  });
  cpSync(build, path.join(folder, 'small'), { recursive: true });
  await runPhase({ phase: 'seed-rest', dataDirectory: build, scale, manifest });
  renameSync(build, path.join(folder, 'large'));
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return {
    manifest,
    small: path.join(folder, 'small'),
    large: path.join(folder, 'large'),
    reused: false,
    seedSeconds: Math.round((Date.now() - started) / 1000),
  };
}

/** A throw-away copy of a snapshot for one run (scenarios write into it). */
export function workingCopy(snapshot: string, into: string): string {
  rmSync(into, { recursive: true, force: true });
  cpSync(snapshot, into, { recursive: true });
  return into;
}
