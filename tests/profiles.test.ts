import { describe, expect, it } from 'vitest';
import { expectDomainError } from './support/domain-error';
import {
  CREATE_ORGANIZATION,
  ME,
  SUBMIT_WITH_PRIORITY,
  UPDATE_PROFILE,
} from './support/operations';
import { PASSWORD, useWorld } from './support/world';

const MEMBERS = `query Members($organizationId: ID!) {
  membersByOrganization(organizationId: $organizationId) { items { userId displayName } } }`;
type Members = {
  membersByOrganization: { items: { userId: string; displayName: string | null }[] };
};

describe('people’s names', () => {
  const world = useWorld({
    name: 'profiles',
    people: {
      tom: { email: 'tom.tech@pf.example', role: 'OWNER', of: 'other' },
      stranger: { email: 'stranger@pf.example', role: 'OWNER', of: 'other' },
    },
    organizations: { other: { owner: 'tom', name: 'Other' } },
  });

  it('a name given at sign-up is the profile’s, the members list’s and the next email’s', async () => {
    const email = 'ruth.facilities@pf.example';
    const code = await world.requestSignUp(email, { preferred_username: 'Ruth Miller' });
    await world.confirmSignUp(email, code);
    let ruth = await world.cognito.signIn(email, PASSWORD);
    const { me } = await world.ok(ruth, ME);
    expect(me.profile).toMatchObject({ email, displayName: 'Ruth Miller' });

    const { createOrganization: org } = await world.ok(ruth, CREATE_ORGANIZATION, {
      name: 'Grace Facilities',
    });
    ruth = await world.cognito.signIn(email, PASSWORD);
    await world.join('tom', org.id, 'MEMBER');
    // Tom gives his name in settings: it replaces the address-derived one everywhere.
    const renamed = await world.ok('tom', UPDATE_PROFILE, { displayName: ' Tom Baker ' });
    expect(renamed.updateProfile.displayName).toBe('Tom Baker');
    const members = await world.ok<Members, object>(ruth, MEMBERS, { organizationId: org.id });
    expect(members.membersByOrganization.items.map((m) => m.displayName).sort()).toEqual([
      'Ruth Miller',
      'Tom Baker',
    ]);

    await world.ok('tom', SUBMIT_WITH_PRIORITY, {
      organizationId: org.id,
      title: 'Furnace out in the hall',
      priority: 'URGENT',
    });
    await world.runtime.streamsIdle();
    const mail = (await world.mailbox()).find((m) => m.subject.includes('Furnace out'));
    expect(mail?.to).toEqual([email]);
    expect(mail?.text).toContain('Hello Ruth Miller,');
    expect(mail?.text).toContain('Tom Baker submitted');
    expect(mail?.text).not.toContain('ruth.facilities');
  }, 90_000);

  it('refuses an empty or multi-line name and changes nothing', async () => {
    await expectDomainError(
      world.gql('stranger', UPDATE_PROFILE, { displayName: '  ' }),
      'VALIDATION',
    );
    await expectDomainError(
      world.gql('stranger', UPDATE_PROFILE, { displayName: 'a\nb' }),
      'VALIDATION',
    );
    expect((await world.ok('stranger', ME)).me.profile.displayName).toBe('stranger');
  }, 60_000);
});
