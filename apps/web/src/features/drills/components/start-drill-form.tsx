import type { DrillScenarioSummary, Member } from '@hoh/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { paths } from '@/config/paths';
import { describeError } from '@/lib/api-client';
import { useStartDrill } from '../api/drills';

const SETTING_WORDS: Record<DrillScenarioSummary['setting'], string> = {
  platform: 'Platform',
  corporate_device: 'Corporate device',
  backup_cloud: 'Backup or cloud store',
  livestream: 'Livestream',
  notice: 'Hotline or law-enforcement notice',
  staff_implicated: 'A member of staff implicated',
};
export const settingWords = (setting: DrillScenarioSummary['setting']): string => SETTING_WORDS[setting];

/** The facilitator picks a scenario and gives each participant a role; starting reveals the first inject. */
export function StartDrillForm({ orgId, scenarios, members }: { orgId: string; scenarios: readonly DrillScenarioSummary[]; members: readonly Member[] }) {
  const [scenarioId, setScenarioId] = useState(scenarios[0]?.id ?? '');
  const [roles, setRoles] = useState<Record<string, string>>({});
  const start = useStartDrill(orgId);
  const navigate = useNavigate();
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const participants = Object.entries(roles)
    .filter(([, roleId]) => roleId !== '' && scenario?.roles.some((r) => r.id === roleId))
    .map(([userId, roleId]) => ({ userId, roleId }));

  return (
    <form
      className="form"
      aria-label="Start a drill"
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate({ scenarioId, participants }, { onSuccess: (drill) => void navigate(paths.app.drill.getHref(drill.id)) });
      }}
    >
      <SelectField
        label="Scenario"
        value={scenarioId}
        onChange={(e) => setScenarioId(e.target.value)}
        options={scenarios.map((s) => ({ value: s.id, label: `${s.title} (${settingWords(s.setting)})` }))}
      />
      {scenario ? (
        <>
          <p className="muted">
            {scenario.summary} About {scenario.durationMinutes} minutes, {scenario.injectCount} injects. Exercises {scenario.questionIds.join(', ')}.
          </p>
          <fieldset>
            <legend>Participants and their roles</legend>
            {members.map((m) => (
              <SelectField
                key={m.userId}
                label={m.name}
                value={roles[m.userId] ?? ''}
                onChange={(e) => setRoles((r) => ({ ...r, [m.userId]: e.target.value }))}
                options={[{ value: '', label: 'Not taking part' }, ...scenario.roles.map((r) => ({ value: r.id, label: r.title }))]}
              />
            ))}
          </fieldset>
        </>
      ) : null}
      {start.error ? <Alert tone="error" title="The drill did not start">{describeError(start.error)}</Alert> : null}
      <Button type="submit" isLoading={start.isPending} disabled={participants.length === 0}>
        Start the drill
      </Button>
      {participants.length === 0 ? <p className="muted">Give at least one person a role to start.</p> : null}
    </form>
  );
}
