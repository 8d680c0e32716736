// Settings → Single sign-on: the organisation's OpenID provider, owners only (features/sso).
export { SsoSettingsPage as Component } from '@/features/sso/components/sso-settings-page';
