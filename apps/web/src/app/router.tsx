import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import type { LoaderFunction, RouteObject } from 'react-router';

import { paths } from '@/config/paths';

import { AppLoading, RootErrorBoundary, RootLayout } from './routes/root';

/** What every lazy route module exports; loaders get the app's QueryClient to prefetch through. */
export interface RouteModule {
  Component: ComponentType;
  clientLoader?: (queryClient: QueryClient) => LoaderFunction;
  ErrorBoundary?: ComponentType;
}

interface LazyRoute {
  Component: ComponentType;
  loader?: LoaderFunction;
  ErrorBoundary?: ComponentType;
}

const convert =
  (queryClient: QueryClient) =>
  ({ Component, clientLoader, ErrorBoundary }: RouteModule): LazyRoute => ({
    Component,
    ...(clientLoader ? { loader: clientLoader(queryClient) } : {}),
    ...(ErrorBoundary ? { ErrorBoundary } : {}),
  });

const stripSlash = (path: string): string => path.replace(/^\//, '');

export function createRoutes(queryClient: QueryClient): RouteObject[] {
  const c = convert(queryClient);
  return [
    {
      path: '/',
      Component: RootLayout,
      ErrorBoundary: RootErrorBoundary,
      HydrateFallback: AppLoading,
      children: [
        {
          path: stripSlash(paths.auth.signIn.path),
          lazy: () => import('./routes/sign-in').then(c),
        },
        {
          path: stripSlash(paths.auth.signUp.path),
          lazy: () => import('./routes/sign-up').then(c),
        },
        {
          path: stripSlash(paths.auth.forgotPassword.path),
          lazy: () => import('./routes/forgot-password').then(c),
        },
        {
          path: stripSlash(paths.auth.resetPassword.path),
          lazy: () => import('./routes/reset-password').then(c),
        },
        {
          path: stripSlash(paths.auth.confirmEmail.path),
          lazy: () => import('./routes/confirm-email').then(c),
        },
        {
          path: stripSlash(paths.verifyReport.path),
          lazy: () => import('./routes/verify').then(c),
        },
        {
          path: stripSlash(paths.acceptInvitation.path),
          lazy: () => import('./routes/accept-invitation').then(c),
        },
        {
          path: stripSlash(paths.foundSuspectedMaterial.path),
          lazy: () => import('./routes/found-suspected-material').then(c),
        },
        {
          path: stripSlash(paths.firstHour.path),
          lazy: () => import('./routes/first-hour').then(c),
        },
        {
          id: 'authenticated',
          lazy: () => import('./routes/app/root').then(c),
          children: [
            { index: true, lazy: () => import('./routes/app/overview').then(c) },
            {
              path: stripSlash(paths.app.questionnaire.path),
              lazy: () => import('./routes/app/questionnaire').then(c),
            },
            {
              path: stripSlash(paths.app.review.path),
              lazy: () => import('./routes/app/review').then(c),
            },
            {
              path: stripSlash(paths.app.remediation.path),
              lazy: () => import('./routes/app/remediation').then(c),
            },
            {
              path: stripSlash(paths.app.reports.path),
              lazy: () => import('./routes/app/reports').then(c),
            },
            {
              path: stripSlash(paths.app.organisationProfile.path),
              lazy: () => import('./routes/app/organisation-profile').then(c),
            },
            {
              path: stripSlash(paths.app.members.path),
              lazy: () => import('./routes/app/members').then(c),
            },
            {
              path: stripSlash(paths.app.evidence.path),
              lazy: () => import('./routes/app/evidence').then(c),
            },
            {
              path: stripSlash(paths.app.account.path),
              lazy: () => import('./routes/app/account').then(c),
            },
            {
              path: stripSlash(paths.app.calendarSettings.path),
              lazy: () => import('./routes/app/calendar-settings').then(c),
            },
            {
              path: stripSlash(paths.app.ssoSettings.path),
              lazy: () => import('./routes/app/sso-settings').then(c),
            },
            {
              path: stripSlash(paths.app.apiTokens.path),
              lazy: () => import('./routes/app/api-tokens').then(c),
            },
            {
              path: stripSlash(paths.app.auditLog.path),
              lazy: () => import('./routes/app/audit-log').then(c),
            },
            {
              path: stripSlash(paths.app.drills.path),
              lazy: () => import('./routes/app/drills').then(c),
            },
            {
              path: stripSlash(paths.app.drillPlaybook.path),
              lazy: () => import('./routes/app/drill-playbook').then(c),
            },
            {
              path: stripSlash(paths.app.drill.path),
              lazy: () => import('./routes/app/drill').then(c),
            },
            {
              path: stripSlash(paths.app.groups.path),
              lazy: () => import('./routes/app/groups').then(c),
            },
            {
              path: stripSlash(paths.app.group.path),
              lazy: () => import('./routes/app/group').then(c),
            },
            {
              path: stripSlash(paths.app.bankChanges.path),
              lazy: () => import('./routes/app/bank-changes').then(c),
            },
            {
              path: stripSlash(paths.app.notificationSettings.path),
              lazy: () => import('./routes/app/notification-settings').then(c),
            },
          ],
        },
        { path: '*', lazy: () => import('./routes/not-found').then(c) },
      ],
    },
  ];
}

export const createAppRouter = (queryClient: QueryClient) =>
  createBrowserRouter(createRoutes(queryClient));
