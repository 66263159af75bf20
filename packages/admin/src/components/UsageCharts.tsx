import type { ReactNode } from "react";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatInstant, formatNumber } from "../format";
import type { Session } from "../session";
import type { EffectivePlan, Entitlement, Feature, Page, UsagePoint } from "../types";
import { type ChartRow, chartRange, usageChartModel } from "../usageChart";
import { useApi } from "../useApi";

const WINDOWS = { hour: "per hour", day: "per day", period: "per billing period", never: "never resets" };

/**
 * One chart per metered feature of the effective plan: usage per bucket with the limit as a
 * reference line, and the quota left (burn-down) beside an even burn of the limit. Loaded on its
 * own (recharts is most of its weight), only when the usage tab opens.
 */
export default function UsageCharts(props: { session: Session; customerId: string; plan: EffectivePlan }) {
  const features = useApi<Page<Feature>>(props.session.key, "/v1/admin/features");
  const metered = props.plan.entitlements.filter((e) => e.type === "metered" && e.enabled);
  if (metered.length === 0) return <p className="hint">No metered features on this plan.</p>;
  if (features.error) return <p className="error">{features.error}</p>;
  if (!features.data) return <p className="hint">Loading…</p>;
  const aggregationOf = new Map(features.data.data.map((f) => [f.key, f]));
  return (
    <div className="charts">
      {metered.map((entitlement) => (
        <FeatureUsage
          key={entitlement.feature}
          {...props}
          entitlement={entitlement}
          feature={aggregationOf.get(entitlement.feature)}
        />
      ))}
    </div>
  );
}

function FeatureUsage(props: {
  session: Session;
  customerId: string;
  plan: EffectivePlan;
  entitlement: Entitlement;
  feature: Feature | undefined;
}) {
  const { entitlement, plan } = props;
  const range = chartRange(entitlement, plan.subscription, plan.at);
  const query = new URLSearchParams({ feature: entitlement.feature, ...range });
  const series = useApi<{ data: UsagePoint[] }>(
    props.session.key,
    `/v1/customers/${encodeURIComponent(props.customerId)}/usage?${query}`,
  );
  const aggregation = props.feature?.aggregation ?? "sum";
  const model = series.data && usageChartModel(series.data.data, entitlement, aggregation, plan.at);
  const limit = entitlement.unlimited ? null : entitlement.limit;
  const unit = props.feature?.unit ?? "";
  return (
    <section className="chart" data-testid="usage-chart" data-feature={entitlement.feature}>
      <h3>
        {props.feature?.name ?? entitlement.feature} <code>{entitlement.feature}</code>
      </h3>
      <p className="hint">
        {formatNumber(entitlement.used)} {unit} used of{" "}
        {limit === null ? "unlimited" : `${formatNumber(limit)} ${unit}`} ({WINDOWS[entitlement.window]},{" "}
        {entitlement.enforcement}); {aggregation} of events, from {formatInstant(range.from)} by{" "}
        {range.granularity}
      </p>
      {series.error && <p className="error">{series.error}</p>}
      {model && (
        <div className="chart-pair">
          <ChartFrame rows={model.rows}>
            <Bar
              dataKey="quantity"
              name={`per ${range.granularity}`}
              fill="#8fb3e8"
              isAnimationActive={false}
            />
            {model.reading === "cumulative" && (
              <Line
                dataKey="used"
                name="used so far"
                stroke="#1d4f91"
                dot={false}
                isAnimationActive={false}
              />
            )}
            {limit !== null && (
              <ReferenceLine
                y={limit}
                stroke="#b00020"
                strokeDasharray="6 3"
                ifOverflow="extendDomain"
                label={{ value: `limit ${formatNumber(limit)}`, position: "insideTopRight", fontSize: 11 }}
              />
            )}
          </ChartFrame>
          {limit !== null && (
            <ChartFrame rows={model.rows}>
              <Line
                dataKey="remaining"
                name="quota left"
                stroke="#2e7d32"
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
              {model.rows.some((r) => r.evenBurn !== null) && (
                <Line
                  dataKey="evenBurn"
                  name="even burn"
                  stroke="#9aa3b2"
                  strokeDasharray="4 4"
                  dot={false}
                  isAnimationActive={false}
                />
              )}
              <ReferenceLine y={0} stroke="#b00020" ifOverflow="extendDomain" />
            </ChartFrame>
          )}
        </div>
      )}
    </section>
  );
}

/** What both charts of a feature share: the buckets on x, grid, axes, tooltip and legend. */
function ChartFrame({ rows, children }: { rows: ChartRow[]; children: ReactNode }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <ComposedChart data={rows} margin={{ top: 16, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" fontSize={11} />
        <YAxis fontSize={11} tickFormatter={formatNumber} />
        <Tooltip formatter={(value) => formatNumber(Number(value))} />
        <Legend />
        {children}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
