import type { HTMLAttributes, ReactNode } from 'react';

export interface CardProps extends HTMLAttributes<HTMLElement> {
  as?: 'section' | 'div' | 'article';
  children: ReactNode;
}

export function Card({ as: Tag = 'section', className, children, ...rest }: CardProps) {
  return (
    <Tag {...rest} className={['card', className].filter(Boolean).join(' ')}>
      {children}
    </Tag>
  );
}
