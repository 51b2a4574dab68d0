import type { ReactNode } from 'react';
import { followLink } from './router.ts';

export function Link(props: { readonly to: string; readonly children: ReactNode; readonly className?: string; readonly 'aria-current'?: 'page' }) {
  return (
    <a href={props.to} onClick={followLink} className={props.className} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}
