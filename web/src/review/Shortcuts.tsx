import { shortcuts } from './queue';

/** The queue's keyboard shortcuts, listed on the page. */
export function Shortcuts({ reviewer }: { reviewer: boolean }) {
  const shown = reviewer ? shortcuts : shortcuts.filter(([key]) => ['j', 'k', 'g / G', 'e'].includes(key));
  return (
    <details class="shortcuts panel" open>
      <summary>Keyboard shortcuts</summary>
      <dl>
        {shown.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
