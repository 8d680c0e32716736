// Settings → Calendar: the member's private iCalendar address (features/calendar).
export { CalendarSettingsPage as Component } from '@/features/calendar/components/calendar-settings-page';
