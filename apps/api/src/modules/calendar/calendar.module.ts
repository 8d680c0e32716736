import { Module } from '@nestjs/common';

import { CalendarFeedController, CalendarFeedFileController } from './calendar.controller.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { CalendarFeedService } from './calendar-feed.service.js';

/** Private iCalendar feeds of action due dates, evidence expiries and the annual review (issue 28). */
@Module({ imports: [EvidenceModule], controllers: [CalendarFeedController, CalendarFeedFileController], providers: [CalendarFeedService] })
export class CalendarModule {}
