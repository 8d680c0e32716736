import { effectiveDelivery, NotificationPreferencesRequestSchema, PREFERENCE_KINDS, REQUIRED_KINDS } from './notifications.js';

describe('notification preferences (docs/PRODUCT.md §14.1)', () => {
  it('lets every kind but the weekly digest itself be chosen', () => {
    expect(PREFERENCE_KINDS).not.toContain('weekly_digest');
    expect(PREFERENCE_KINDS).toHaveLength(9);
  });

  it('keeps what a role must receive on, whatever was saved, and applies any other choice as saved', () => {
    expect(REQUIRED_KINDS.owner).toEqual(['review_due_30d', 'review_due', 'evidence_expired', 'action_overdue']);
    expect(effectiveDelivery('owner', 'review_due', 'off')).toBe('immediately');
    expect(effectiveDelivery('owner', 'review_due', 'weekly_digest')).toBe('weekly_digest');
    expect(effectiveDelivery('owner', 'assignment', 'off')).toBe('off');
    expect(effectiveDelivery('contributor', 'review_due', 'off')).toBe('off');
    expect(effectiveDelivery('auditor', 'evidence_7d', undefined)).toBe('immediately');
  });

  it('refuses unknown kinds and deliveries by field', () => {
    const bad = NotificationPreferencesRequestSchema.safeParse({ deliveries: { assignment: 'hourly', bogus: 'off' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['deliveries', 'deliveries.assignment']);
    expect(NotificationPreferencesRequestSchema.safeParse({ deliveries: {} }).success).toBe(true);
    expect(NotificationPreferencesRequestSchema.safeParse({ deliveries: {}, extra: 1 }).success).toBe(false);
  });
});
