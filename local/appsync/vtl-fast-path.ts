/**
 * Response templates that only hand a result on (`$util.toJson($ctx.prev.result)` as the generated
 * pipelines end, and `$util.toJson($ctx.result)`, alone or after the usual error check, as their
 * data steps end). Rendering them converts every item of a page into VTL maps and lists and back through
 * JSON (twice for the pipeline's last step): most of the CPU of a 50-item list. Their output is
 * their input, so the `vtl-pass-through` patch returns it directly; with an error they render as
 * usual.
 *
 * Templates are compared after dropping what renders nothing (`##` comment lines, blank lines,
 * spaces) and reading `$context` as `$ctx`, so the generator's comments do not switch the fast
 * path off; {@link fastPathCoverage} reports templates that end like a hand-on but are not one.
 */

/** Which render value a pass-through template hands on. */
export type PassThroughSource = 'result' | 'prevResult';

const HAND_ON = /^\$util\.toJson\(\$ctx\.(prev\.)?result\)$/;

const PASS_THROUGH = new Map<string, PassThroughSource>([
  ['$util.toJson($ctx.prev.result)', 'prevResult'],
  // With an error the template renders as usual, so the error check makes no difference here.
  ['$util.toJson($ctx.result)', 'result'],
  [
    [
      '#if($ctx.error)',
      '$util.error($ctx.error.message,$ctx.error.type)',
      '#end',
      '$util.toJson($ctx.result)',
    ].join('\n'),
    'result',
  ],
]);

/** The statements of a template, without what renders nothing. */
function statementsOf(content: string): string[] {
  return content
    .split('\n')
    .map((line) => line.replace(/\s+/g, '').replace(/\$context\./g, '$ctx.'))
    .filter((line) => line !== '' && !line.startsWith('##'));
}

/** What a template hands on unchanged, or undefined when it has to be rendered. */
export function passThroughSourceOf(content: string): PassThroughSource | undefined {
  return PASS_THROUGH.get(statementsOf(content).join('\n'));
}

/** The values a template renders with (the simulator's `ctxValues`). */
export type RenderValues = {
  result?: unknown;
  prevResult?: unknown;
  stash?: Record<string, unknown>;
  arguments?: Record<string, unknown>;
  error?: unknown;
};

/** The simulator's render result for a pass-through template, or undefined to render as usual. */
export function passThroughRender(source: PassThroughSource | undefined, values: RenderValues) {
  const value = source ? values[source] : undefined;
  if (!source || values.error || value === undefined) return undefined;
  return {
    // A copy, as the JSON round trip of a render would give.
    result: structuredClone(value),
    stash: structuredClone(values.stash ?? {}),
    args: structuredClone(values.arguments ?? {}),
    errors: [],
    isReturn: false,
    hadException: false,
  };
}

/** Which response templates the fast path recognises, and which look like hand-ons but are not. */
export type FastPathCoverage = {
  /** Response templates (`*.res.vtl`) seen. */
  responseTemplates: number;
  recognised: string[];
  /** End with `$util.toJson($ctx[.prev].result)` yet are rendered: the generator's text changed. */
  nearMisses: string[];
};

/** Sorts the simulator's mapping templates by what the fast path makes of them. */
export function fastPathCoverage(
  templates: { path?: string; content: string }[],
): FastPathCoverage {
  const coverage: FastPathCoverage = { responseTemplates: 0, recognised: [], nearMisses: [] };
  for (const { path = '', content } of templates) {
    if (!path.endsWith('.res.vtl')) continue;
    coverage.responseTemplates += 1;
    if (passThroughSourceOf(content)) coverage.recognised.push(path);
    else if (HAND_ON.test(statementsOf(content).at(-1) ?? '')) coverage.nearMisses.push(path);
  }
  return coverage;
}

/** A warning when the fast path has stopped covering what it should, else undefined. */
export function fastPathWarning(coverage: FastPathCoverage): string | undefined {
  if (coverage.nearMisses.length) {
    const shown = coverage.nearMisses.slice(0, 5).join(', ');
    const more =
      coverage.nearMisses.length > 5 ? ` and ${coverage.nearMisses.length - 5} more` : '';
    return (
      `The VTL fast path does not recognise ${coverage.nearMisses.length} response template(s) that ` +
      `hand a result on (${shown}${more}): the generated text changed, and they render the slow ` +
      'way. Teach local/appsync/vtl-fast-path.ts the new text.'
    );
  }
  if (coverage.responseTemplates && !coverage.recognised.length) {
    return (
      `The VTL fast path recognises none of ${coverage.responseTemplates} response templates: ` +
      'every result renders the slow way. Teach local/appsync/vtl-fast-path.ts the new text.'
    );
  }
  return undefined;
}
