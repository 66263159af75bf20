import { useState } from "react";
import { Link } from "../router";
import type { Session } from "../session";
import type { Customer, Page } from "../types";
import { useApi } from "../useApi";

export function CustomersPage({ session }: { session: Session }) {
  const [customOnly, setCustomOnly] = useState(false);
  const { data, error } = useApi<Page<Customer>>(
    session.key,
    `/v1/admin/customers?limit=100${customOnly ? "&custom=true" : ""}`,
  );
  return (
    <section>
      <h1>Customers</h1>
      <label className="inline">
        <input
          type="checkbox"
          checked={customOnly}
          onChange={(event) => setCustomOnly(event.target.checked)}
        />
        Custom plans &amp; overrides only
      </label>
      {error && <p className="error">{error}</p>}
      <table>
        <thead>
          <tr>
            <th>Id</th>
            <th>Name</th>
            <th>Email</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {data?.data.map((customer) => (
            <tr key={customer.id}>
              <td>
                <Link to={`/customers/${encodeURIComponent(customer.id)}`}>{customer.id}</Link>
              </td>
              <td>{customer.name}</td>
              <td>{customer.email}</td>
              <td>{customer.createdAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.has_more && <p className="hint">Showing the first 100.</p>}
    </section>
  );
}
