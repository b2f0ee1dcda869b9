interface Props {
  label: string;
  /** Done so far; undefined while the total is unknown (an indeterminate bar). */
  value: number | undefined;
  max: number;
}

/** A labelled progress bar that screen readers announce; the visible text says the same. */
export function ProgressBar({ label, value, max }: Props) {
  const percent = value === undefined || max <= 0 ? undefined : Math.min(100, Math.round((value / max) * 100));
  return (
    <div class="progress">
      <label>
        {label}
        <progress max={max > 0 ? max : 1} {...(value === undefined ? {} : { value: Math.min(value, max) })} />
      </label>
      <span class="muted" aria-live="polite">
        {percent === undefined ? 'Working…' : `${value} of ${max} (${percent}%)`}
      </span>
    </div>
  );
}
