import { type Permission, type Role, roleAllows, rolesWith } from '@hoh/contracts';

import { forbiddenMessage } from './permissions.js';

const ROLES: Role[] = ['owner', 'assessor', 'contributor', 'auditor'];
const PERMISSIONS: Permission[] = ['read', 'administer', 'manage', 'contribute', 'verify', 'sign'];

describe('the 403 message for a role that lacks a route’s permission', () => {
  it('tells an owner calling /verification that only an auditor can verify, and to invite one from Members', () => {
    const message = forbiddenMessage('verify', 'owner', false);
    expect(message).toBe('Only an auditor can record an independent verification of a signed assessment; your role is owner. Invite an auditor from Members.');
    expect(message).not.toMatch(/Ask an organisation owner/);
  });

  it('names every role the role table allows, for every refused role and permission', () => {
    for (const permission of PERMISSIONS)
      for (const role of ROLES) {
        if (roleAllows(role, permission, true)) continue;
        const message = forbiddenMessage(permission, role, false);
        const allowed = rolesWith(permission);
        expect({ permission, role, names: allowed.every((r) => message.includes(r)), says: message.includes(`your role is ${role}`) }).toEqual({ permission, role, names: true, says: true });
        // An owner is never told to ask an owner.
        if (role === 'owner') expect(message).not.toMatch(/Ask an organisation owner/);
      }
  });

  it('derives the allowed roles from the role table', () => {
    expect(rolesWith('verify')).toEqual(['auditor']);
    expect(rolesWith('manage')).toEqual(['owner', 'assessor']);
    expect(rolesWith('contribute')).toEqual(['owner', 'assessor', 'contributor']);
    expect(forbiddenMessage('manage', 'contributor', false)).toMatch(/^Only an owner or an assessor can manage assessments/);
    expect(forbiddenMessage('contribute', 'auditor', false)).toMatch(/^Only an owner, an assessor or a contributor can answer questions/);
  });

  it('tells an owner or assessor who may sign but is not designated to get designated, and anyone else who may sign', () => {
    expect(forbiddenMessage('sign', 'assessor', false)).toBe('Only the designated accountable individual can sign off. Ask an organisation owner to designate you in Members.');
    expect(forbiddenMessage('sign', 'owner', false)).toMatch(/^Only the designated accountable individual can sign off\. Designate them/);
    expect(forbiddenMessage('sign', 'contributor', false)).toMatch(/^Only an owner or an assessor designated as the accountable individual can sign off an assessment; your role is contributor/);
  });
});
