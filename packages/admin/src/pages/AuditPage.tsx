import { type FormEvent, useState } from "react";
import { callApi, errorMessage } from "../api";
import { AuditList } from "../components/AuditList";
import { replaceQuery } from "../router";
import type { Session } from "../session";
import type { AuditEntry, Page } from "../types";
import { useApi } from "../useApi";

const FILTERS = [
  ["customer", "Customer", "acme"],
  ["plan", "Plan", "team_pro"],
  ["actor", "Actor (key id)", "key_…"],
  ["action", "Action", "overrides.set"],
] as const;
type Filters = Record<(typeof FILTERS)[number][0] | "from" | "to", string>;

const PAGE_SIZE = 50;
const DAY = 86_400_000;

/** The page's filters, as the URL holds them (so a filtered view can be linked to). */
function readFilters(query: URLSearchParams): Filters {
  const get = (name: string) => query.get(name) ?? "";
  return {
    customer: get("customer"),
    plan: get("plan"),
    actor: get("actor"),
    action: get("action"),
    from: get("from"),
    to: get("to"),
  };
}

/** GET /v1/admin/audit for the filters; dates are whole UTC days, `to` included. */
function auditPath(filters: Filters, startingAfter?: number): string {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [name] of FILTERS) if (filters[name].trim()) q.set(name, filters[name].trim());
  if (filters.from) q.set("from", `${filters.from}T00:00:00.000Z`);
  if (filters.to) q.set("to", new Date(Date.parse(`${filters.to}T00:00:00.000Z`) + DAY).toISOString());
  if (startingAfter !== undefined) q.set("starting_after", String(startingAfter));
  return `/v1/admin/audit?${q}`;
}

/** The audit log, newest first, filtered by customer, plan, actor, action and UTC dates. */
export function AuditPage({ session, query }: { session: Session; query: URLSearchParams }) {
  const [draft, setDraft] = useState(() => readFilters(query));
  const [applied, setApplied] = useState(draft);
  const first = useApi<Page<AuditEntry>>(session.key, auditPath(applied));
  const [more, setMore] = useState<Page<AuditEntry> | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(Object.entries(draft).filter(([, value]) => value.trim() !== ""));
    replaceQuery(next);
    setMore(null);
    setApplied({ ...draft });
  };
  const entries = [...(first.data?.data ?? []), ...(more?.data ?? [])];
  const hasMore = more ? more.has_more : first.data?.has_more;
  const loadMore = () => {
    callApi<Page<AuditEntry>>(session.key, "GET", auditPath(applied, entries.at(-1)?.id)).then(
      (page) => setMore({ data: [...(more?.data ?? []), ...page.data], has_more: page.has_more }),
      (failure) => setMoreError(errorMessage(failure)),
    );
  };

  return (
    <section>
      <h1>Audit log</h1>
      <search>
        <form aria-label="Audit filters" onSubmit={apply} className="filters">
          {FILTERS.map(([name, label, example]) => (
            <label key={name}>
              {label}
              <input
                name={name}
                value={draft[name]}
                placeholder={example}
                onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
              />
            </label>
          ))}
          <label>
            From (UTC day)
            <input
              type="date"
              name="from"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </label>
          <label>
            To (UTC day, included)
            <input
              type="date"
              name="to"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </label>
          <button type="submit">Apply filters</button>
        </form>
      </search>
      {(first.error || moreError) && <p className="error">{first.error ?? moreError}</p>}
      {first.data && <AuditList entries={entries} />}
      {hasMore && (
        <button type="button" onClick={loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}
