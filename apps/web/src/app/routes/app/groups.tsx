// Groups (features/groups): the groups you own or view, and this organisation's invitations and memberships.
export { GroupsPage as Component } from '@/features/groups/components/groups-page';
