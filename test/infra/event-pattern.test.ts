// The offline matcher the rule tests rely on, checked against the EventBridge rules it mimics.
import { describe, expect, it } from 'vitest';
import { matchesPattern } from './support/event-pattern';

const event = {
  source: 'aws.ecs',
  detail: {
    eventName: 'RegisterTaskDefinition',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' },
    tags: ['a', 'b'],
    count: 3,
  },
};

describe('EventBridge pattern matcher', () => {
  it('matches literal values, any of a list, nested fields, and array values by element', () => {
    expect(matchesPattern({ source: ['aws.ecs'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.s3', 'aws.ecs'] }, event)).toBe(true);
    expect(matchesPattern({ source: ['aws.s3'] }, event)).toBe(false);
    expect(matchesPattern({ detail: { eventName: ['RegisterTaskDefinition'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { tags: ['b'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { tags: ['c'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { count: [3] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { count: ['3'] } }, event)).toBe(false);
  });

  it('requires every field of the pattern', () => {
    expect(matchesPattern({ source: ['aws.ecs'], detail: { eventName: ['CreateService'] } }, event)).toBe(false);
  });

  it('exists: false matches only absent fields, exists: true only present ones', () => {
    expect(matchesPattern({ detail: { errorCode: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { eventName: [{ exists: false }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { eventName: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { errorCode: [{ exists: true }] } }, event)).toBe(false);
    expect(matchesPattern({ nothing: { deeper: [{ exists: false }] } }, event)).toBe(true);
  });

  it('anything-but needs the field: absent fields do not match (the trap for IAM users and root)', () => {
    const byRole = { detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': 'x' }] } } } } };
    expect(matchesPattern(byRole, event)).toBe(false);
    expect(matchesPattern({ detail: { userIdentity: { type: [{ 'anything-but': 'AssumedRole' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { userIdentity: { type: [{ 'anything-but': ['Root', 'IAMUser'] }] } } }, event)).toBe(false);
  });

  it('prefix matches the start of strings only', () => {
    expect(matchesPattern({ detail: { userIdentity: { arn: [{ prefix: 'arn:aws:iam::111122223333:' }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { userIdentity: { arn: [{ prefix: 'arn:aws:sts::' }] } } }, event)).toBe(false);
    expect(matchesPattern({ detail: { count: [{ prefix: '3' }] } }, event)).toBe(false);
  });

  it('$or matches when any alternative does, at the level where it stands', () => {
    const pattern = { detail: { $or: [{ eventName: ['CreateService'] }, { userIdentity: { type: ['IAMUser'] } }] } };
    expect(matchesPattern(pattern, event)).toBe(true);
    const neither = { detail: { $or: [{ eventName: ['CreateService'] }, { userIdentity: { type: ['Root'] } }] } };
    expect(matchesPattern(neither, event)).toBe(false);
  });

  it('refuses operators it does not implement instead of guessing', () => {
    expect(() => matchesPattern({ detail: { count: [{ numeric: ['>', 1] }] } }, event)).toThrow(/unsupported operator numeric/);
    expect(() => matchesPattern({ source: [{ 'anything-but': { prefix: 'aws.' } }] }, event)).toThrow(/unsupported anything-but/);
    expect(() => matchesPattern({ source: 'aws.ecs' }, event)).toThrow(/must be an array or an object/);
    expect(() => matchesPattern({ $or: [{ source: ['aws.ecs'] }] }, event)).toThrow(/at least two/);
  });
});
