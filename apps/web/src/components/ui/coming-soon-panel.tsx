import { useId } from 'react';
import type { ReactNode } from 'react';

import { Card } from './card';

export interface ComingSoonPanelProps {
  title: string;
  description: string;
  children?: ReactNode;
}

export function ComingSoonPanel({ title, description, children }: ComingSoonPanelProps) {
  const titleId = useId();
  return (
    <Card className="coming-soon" aria-labelledby={titleId}>
      <span className="badge badge--neutral">Coming soon</span>
      <h2 className="coming-soon__title" id={titleId}>
        {title} is on its way
      </h2>
      <p className="coming-soon__description">{description}</p>
      {children}
    </Card>
  );
}
