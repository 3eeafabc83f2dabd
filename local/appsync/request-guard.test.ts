import { describe, expect, it } from 'vitest';
import { LocalRuntimeError } from '../process-utils';
import { localRates } from './request-guard';

const deployed = {
  perCaller: 15_000,
  perIp: 75_000,
  windowSeconds: 300,
  responseCode: 429,
  responseBody: '{}',
};

describe('localRates', () => {
  it('follows the deployed rule unless STEWARD_LOCAL_RATE_LIMIT says otherwise', () => {
    expect(localRates(undefined, deployed).perCaller).toEqual({ perSecond: 50, burst: 500 });
    expect(localRates('off', deployed)).toEqual({});
    expect(localRates('5', deployed)).toEqual({
      perCaller: { perSecond: 5, burst: 50 },
      perIp: { perSecond: 25, burst: 250 },
    });
    expect(localRates('5/8', deployed).perCaller).toEqual({ perSecond: 5, burst: 8 });
    expect(localRates(undefined, undefined)).toEqual({ perCaller: undefined, perIp: undefined });
  });

  it('refuses a setting that is not a rate', () => {
    for (const bad of ['fast', '0', '-1', '5/0']) {
      expect(() => localRates(bad, deployed)).toThrow(LocalRuntimeError);
    }
  });
});
