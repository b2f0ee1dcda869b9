import type { ComponentChildren } from 'preact';
import { useApp } from '../context';
import { href as hrefOf, type Route } from '../router';

interface Props {
  to: Route;
  children: ComponentChildren;
  class?: string;
  title?: string | undefined;
}

/** An ordinary <a href> (so it works with the keyboard, middle-click and "open in new tab") routed in-app. */
export function Link({ to, children, class: className, title }: Props) {
  const { navigate } = useApp();
  const target = hrefOf(to);
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={target} class={className} title={title} onClick={onClick}>
      {children}
    </a>
  );
}
