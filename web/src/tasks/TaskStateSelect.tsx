import { taskStates, type TaskState } from '../api/types';
import { stateLabels } from './filters';

/** A task state picker; the label names the task so each row's control is distinguishable by screen readers. */
export function TaskStateSelect({ id, label, value, disabled, onChange }: { id: string; label: string; value: TaskState; disabled?: boolean; onChange: (state: TaskState) => void }) {
  return (
    <select id={id} aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as TaskState)}>
      {taskStates.map((s) => (
        <option key={s} value={s}>
          {stateLabels[s]}
        </option>
      ))}
    </select>
  );
}
