import { type FormEvent, useState } from "react";
import { useReasonedAction } from "../useAction";
import { ReasonAndSubmit } from "./ReasonAndSubmit";

/**
 * A form that removes one of `choices` with a reason (deletes a rule, revokes a key): `remove`
 * sends the change and answers what to tell the user; the form then clears.
 */
export function RemoveForm(props: {
  /** The form's accessible name and heading. */
  title: string;
  heading: string;
  /** The select's label, name and empty choice. */
  pick: { label: string; name: string; placeholder: string };
  choices: readonly { value: string; label: string }[];
  reasonName: string;
  submit: string;
  remove: (value: string, reason: string) => Promise<string>;
}) {
  const [value, setValue] = useState("");
  const { reason, setReason, run, field } = useReasonedAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(async () => {
      const said = await props.remove(value, reason);
      setValue("");
      setReason("");
      return said;
    });
  };

  return (
    <form onSubmit={submit} aria-label={props.title}>
      <h2>{props.heading}</h2>
      <label>
        {props.pick.label}
        <select name={props.pick.name} value={value} onChange={(e) => setValue(e.target.value)} required>
          <option value="">{props.pick.placeholder}</option>
          {props.choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <ReasonAndSubmit name={props.reasonName} submit={props.submit} {...field} />
    </form>
  );
}
