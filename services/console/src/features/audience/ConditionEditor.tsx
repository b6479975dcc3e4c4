import { useId } from 'react';
import { opLabels, ops, toWhere, type DraftCondition, type Op } from './conditions.ts';

/**
 * The attribute conditions of an audience, one row each (all must hold): field (name, phone, tags,
 * createdAt or attributes.<key>), operator and value. A row with a problem says it and is not sent.
 */
export function ConditionEditor(props: { value: DraftCondition[]; onChange: (next: DraftCondition[]) => void }) {
  const id = useId();
  const { problems } = toWhere(props.value);
  const change = (index: number, patch: Partial<DraftCondition>) =>
    props.onChange(props.value.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="conditions">
      <legend>Conditions (all must hold)</legend>
      <datalist id={`${id}-fields`}>
        {['name', 'phone', 'tags', 'createdAt', 'attributes.'].map((field) => (
          <option key={field} value={field} />
        ))}
      </datalist>
      {props.value.length === 0 ? (
        <p className="empty">No conditions: add one to narrow by name, phone or an attribute.</p>
      ) : null}
      {props.value.map((row, index) => {
        const n = index + 1;
        return (
          <div key={index} className="condition">
            <label htmlFor={`${id}-field-${index}`}>Field {n}</label>
            <input
              id={`${id}-field-${index}`}
              list={`${id}-fields`}
              value={row.field}
              placeholder="attributes.city"
              onChange={(event) => change(index, { field: event.target.value })}
            />
            <label htmlFor={`${id}-op-${index}`}>Operator {n}</label>
            <select
              id={`${id}-op-${index}`}
              value={row.op}
              onChange={(event) => change(index, { op: event.target.value as Op })}
            >
              {ops.map((op) => (
                <option key={op} value={op}>
                  {opLabels[op]}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-value-${index}`}>Value {n}</label>
            <input
              id={`${id}-value-${index}`}
              value={row.text}
              placeholder={row.op === 'exists' ? 'yes or no' : row.op === 'in' || row.op === 'nin' ? 'a, b, c' : ''}
              aria-describedby={problems[index] ? `${id}-problem-${index}` : undefined}
              onChange={(event) => change(index, { text: event.target.value })}
            />
            <button
              type="button"
              aria-label={`Remove condition ${n}`}
              onClick={() => props.onChange(props.value.filter((_, at) => at !== index))}
            >
              Remove
            </button>
            {problems[index] ? (
              <p id={`${id}-problem-${index}`} className="hint">
                {problems[index]} (not applied)
              </p>
            ) : null}
          </div>
        );
      })}
      <button type="button" onClick={() => props.onChange([...props.value, { field: '', op: 'eq', text: '' }])}>
        Add condition
      </button>
      <p className="hint">
        Numbers typed for an attribute compare as numbers; “is one of” takes values separated by commas.
      </p>
    </fieldset>
  );
}
