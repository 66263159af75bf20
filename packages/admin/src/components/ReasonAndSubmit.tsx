/** How every change form ends: the reason the API requires, the submit button, and what the API said. */
export function ReasonAndSubmit(props: {
  name: string;
  reason: string;
  onReason: (reason: string) => void;
  submit: string;
  disabled?: boolean;
  status: string | null;
}) {
  return (
    <>
      <label>
        Reason
        <input
          name={props.name}
          value={props.reason}
          onChange={(e) => props.onReason(e.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={props.disabled}>
        {props.submit}
      </button>
      {props.status && <p role="status">{props.status}</p>}
    </>
  );
}
