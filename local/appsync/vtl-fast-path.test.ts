import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly } from '../assembly';
import { readCloudAssembly } from '../cloud-assembly';
import { PROJECT_ROOT, SYNTH_CACHE } from '../paths';
import { synthesize } from '../synth';
import { toSimulatorConfig } from './simulator-config';
import {
  fastPathCoverage,
  fastPathWarning,
  passThroughRender,
  passThroughSourceOf,
} from './vtl-fast-path';

const ERROR_CHECK = '#if( $ctx.error )\n  $util.error($ctx.error.message, $ctx.error.type)\n#end\n';

describe('passThroughSourceOf', () => {
  it.each([
    ['$util.toJson($ctx.prev.result)', 'prevResult'],
    ['$util.toJson($ctx.result)', 'result'],
    ['  $util.toJson($context.prev.result)\n', 'prevResult'],
    [`${ERROR_CHECK}$util.toJson($ctx.result)`, 'result'],
    [
      `## [Start] Handle error or return result. **\n${ERROR_CHECK}$util.toJson($ctx.result)\n## [End] Handle error. **`,
      'result',
    ],
    [
      `#if($ctx.error)\n$util.error($ctx.error.message,$ctx.error.type)\n#end\n\n$util.toJson($ctx.result)`,
      'result',
    ],
  ])('recognises %j', (content, source) => {
    expect(passThroughSourceOf(content)).toBe(source);
  });

  it.each([
    '$util.toJson({})',
    `${ERROR_CHECK}$util.toJson($ctx.result.items)`,
    `${ERROR_CHECK}#set( $x = 1 )\n$util.toJson($ctx.result)`,
    `#if( $ctx.error )\n  $util.error($ctx.error.message)\n#end\n$util.toJson($ctx.result)`,
  ])('renders %j as usual', (content) => {
    expect(passThroughSourceOf(content)).toBeUndefined();
  });
});

describe('passThroughRender', () => {
  it('hands a copy of the value on', () => {
    const items = [{ id: 'a' }];
    const out = passThroughRender('result', { result: { items }, stash: { s: 1 }, arguments: {} });
    expect(out).toMatchObject({ result: { items: [{ id: 'a' }] }, stash: { s: 1 }, errors: [] });
    expect(out?.result).not.toBe(items);
  });

  it('leaves an error, or no value, to the render', () => {
    expect(passThroughRender('result', { result: {}, error: { message: 'x' } })).toBeUndefined();
    expect(passThroughRender('prevResult', { result: {} })).toBeUndefined();
    expect(passThroughRender(undefined, { result: {} })).toBeUndefined();
  });
});

describe('fastPathCoverage', () => {
  it('names templates that end in a hand-on but are not recognised', () => {
    const coverage = fastPathCoverage([
      { path: 'a.res.vtl', content: '$util.toJson($ctx.prev.result)' },
      {
        path: 'b.res.vtl',
        content: `#if( $ctx.error )\n  $util.error($ctx.error.message)\n#end\n$util.toJson($ctx.result)`,
      },
      { path: 'c.res.vtl', content: '$util.toJson({})' },
      { path: 'a.req.vtl', content: '$util.toJson($ctx.prev.result)' },
    ]);
    expect(coverage).toEqual({
      responseTemplates: 3,
      recognised: ['a.res.vtl'],
      nearMisses: ['b.res.vtl'],
    });
    expect(fastPathWarning(coverage)).toMatch(
      /does not recognise 1 response template\(s\).*b\.res\.vtl/,
    );
  });

  it('warns when nothing is recognised', () => {
    const coverage = fastPathCoverage([
      { path: 'x.res.vtl', content: '$util.toJson($ctx.prev.result.items)' },
    ]);
    expect(fastPathWarning(coverage)).toMatch(/recognises none of 1 response templates/);
  });
});

describe('the VTL fast path over the synthesized backend', () => {
  let assembly: CloudAssembly;
  let recognised: Set<string>;
  let nearMisses: string[];

  beforeAll(async () => {
    const { directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
    assembly = await readCloudAssembly(directory);
    const { config } = toSimulatorConfig(assembly, {
      dynamoDbEndpoint: 'http://127.0.0.1:1',
      invokeFunction: () => Promise.resolve(null),
    });
    const coverage = fastPathCoverage(config.mappingTemplates ?? []);
    recognised = new Set(coverage.recognised);
    nearMisses = coverage.nearMisses;
  }, 120_000);

  it('has no near misses, so the runtime starts without a warning', () => {
    expect(nearMisses).toEqual([]);
  });

  it("covers the last step of every VTL pipeline resolver (the model operations' hand-on)", () => {
    const pipelines = assembly.resolvers.filter(
      (r) => r.kind === 'PIPELINE' && r.runtime === 'VTL',
    );
    expect(pipelines.length).toBeGreaterThan(30);
    for (const r of pipelines)
      expect(recognised).toContain(`resolvers/${r.typeName}.${r.fieldName}.res.vtl`);
  });

  it('covers the response of every Lambda invoke step', () => {
    const lambdas = new Set(
      assembly.dataSources.filter((d) => d.type === 'AWS_LAMBDA').map((d) => d.name),
    );
    const steps = assembly.pipelineFunctions.filter(
      (f) => f.runtime === 'VTL' && lambdas.has(f.dataSourceName),
    );
    expect(steps.length).toBeGreaterThan(10);
    for (const f of steps) expect(recognised).toContain(`resolvers/functions/${f.id}.res.vtl`);
  });

  it('covers the response of every DynamoDB list and index query step (a get checks its result)', () => {
    const tables = new Set(
      assembly.dataSources.filter((d) => d.type === 'AMAZON_DYNAMODB').map((d) => d.name),
    );
    const steps = assembly.pipelineFunctions.filter(
      (f) => f.runtime === 'VTL' && tables.has(f.dataSourceName) && !/^QueryGet/.test(f.id),
    );
    expect(steps.length).toBeGreaterThan(10);
    for (const f of steps) expect(recognised).toContain(`resolvers/functions/${f.id}.res.vtl`);
  });
});
