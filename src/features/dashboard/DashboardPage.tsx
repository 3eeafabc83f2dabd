import { Link } from 'react-router-dom';
import { useWorkspace } from '../../app/workspace-context';
import { humanize } from '../../lib/labels';
import { isLowStock } from '../inventory/stock';
import { BarChart } from './BarChart';
import {
  formatDuration,
  openByPriority,
  openByStatus,
  overdueCount,
  weekOverWeek,
  type WeekOverWeek,
} from './dashboard-metrics';
import { useDashboard, type DashboardData } from './use-dashboard';

/** The manager's overview: open work, overdue work, response times and low stock. */
export function DashboardPage() {
  const { membership } = useWorkspace();
  const dashboard = useDashboard(membership.organizationId);
  const { data } = dashboard;

  return (
    <div className="dashboard" data-testid="dashboard">
      <div className="section-head">
        <h1>Dashboard</h1>
        <button type="button" onClick={() => void dashboard.reload()}>
          Refresh
        </button>
      </div>
      {dashboard.status === 'loading' && <p className="muted">Loading the figures…</p>}
      {dashboard.error !== null && (
        <p className="error" role="alert" data-testid="dashboard-error">
          Could not load the dashboard: {dashboard.error}
        </p>
      )}
      {data !== undefined && <Panels data={data} />}
    </div>
  );
}

function Panels({ data }: { data: DashboardData }) {
  const open = openByStatus(data.workOrders);
  const openTotal = open.reduce((sum, t) => sum + t.value, 0);
  const overdue = overdueCount(data.overdue, data.at);
  const assign = weekOverWeek(data.workOrders, 'assignedAt', data.at);
  const complete = weekOverWeek(data.workOrders, 'completedAt', data.at);
  const low = data.items.filter(isLowStock);

  return (
    <div className="dashboard-grid">
      <section className="card stat" aria-labelledby="open-total-heading">
        <h2 id="open-total-heading">Open work</h2>
        <p className="big" data-testid="open-total">
          {openTotal}
        </p>
        <Link to="/work-orders">See the work orders</Link>
      </section>
      <section
        className={overdue > 0 ? 'card stat alert' : 'card stat'}
        aria-labelledby="overdue-heading"
      >
        <h2 id="overdue-heading">Overdue</h2>
        <p className="big" data-testid="overdue-count">
          {overdue}
        </p>
        <p className="muted small">Open work orders past their due date.</p>
      </section>
      <section className="card" aria-labelledby="by-status-heading">
        <h2 id="by-status-heading">Open by status</h2>
        <BarChart
          title="Open work orders by status"
          bars={open.map((t) => ({
            label: humanize(t.key),
            value: t.value,
            tone: `tone-${t.key.toLowerCase()}`,
          }))}
          testId="chart-status"
        />
      </section>
      <section className="card" aria-labelledby="by-priority-heading">
        <h2 id="by-priority-heading">Open by priority</h2>
        <BarChart
          title="Open work orders by priority"
          bars={openByPriority(data.workOrders).map((t) => ({
            label: humanize(t.key),
            value: t.value,
            tone: `tone-${t.key.toLowerCase()}`,
          }))}
          testId="chart-priority"
        />
      </section>
      <section className="card wide" aria-labelledby="times-heading">
        <h2 id="times-heading">Response times</h2>
        <p className="muted small">Average from submission, last 7 days against the 7 before.</p>
        <div className="times">
          <WeekComparison title="Time to assign" figures={assign} testId="time-to-assign" />
          <WeekComparison title="Time to complete" figures={complete} testId="time-to-complete" />
        </div>
      </section>
      <section
        className={low.length > 0 ? 'card wide alert' : 'card wide'}
        aria-labelledby="low-stock-heading"
        data-testid="low-stock-panel"
      >
        <h2 id="low-stock-heading">Low stock ({low.length})</h2>
        {low.length === 0 ? (
          <p className="muted">Every item is above its minimum.</p>
        ) : (
          <ul className="low-stock-list">
            {low.map((item) => (
              <li key={item.id} data-testid="low-stock-item" data-sku={item.sku}>
                <strong>{item.sku}</strong> {item.name}: {item.quantity} {item.unit} left, minimum{' '}
                {item.minQuantity}
                <StockGauge quantity={item.quantity} minimum={item.minQuantity} sku={item.sku} />
              </li>
            ))}
          </ul>
        )}
        <Link to="/inventory">Open the inventory</Link>
      </section>
    </div>
  );
}

function WeekComparison({
  title,
  figures,
  testId,
}: {
  title: string;
  figures: WeekOverWeek;
  testId: string;
}) {
  const { thisWeek, lastWeek } = figures;
  const trend =
    thisWeek.averageMs === undefined || lastWeek.averageMs === undefined
      ? 'no comparison yet'
      : thisWeek.averageMs < lastWeek.averageMs
        ? 'faster than last week'
        : thisWeek.averageMs > lastWeek.averageMs
          ? 'slower than last week'
          : 'same as last week';
  return (
    <div className="week-comparison" data-testid={testId}>
      <h3>{title}</h3>
      <p>
        <strong>{formatDuration(thisWeek.averageMs)}</strong> this week ({thisWeek.count}) ·{' '}
        {formatDuration(lastWeek.averageMs)} last week ({lastWeek.count}) — {trend}
      </p>
      <BarChart
        title={`${title}, this week against last week`}
        bars={[
          { label: 'This week', value: thisWeek.averageMs ?? 0, tone: 'tone-this' },
          { label: 'Last week', value: lastWeek.averageMs ?? 0, tone: 'tone-last' },
        ]}
        format={(ms) => (ms === 0 ? '–' : formatDuration(ms))}
      />
    </div>
  );
}

/** A short bar of stock against twice the minimum, with the minimum marked. */
function StockGauge({
  quantity,
  minimum,
  sku,
}: {
  quantity: number;
  minimum: number;
  sku: string;
}) {
  const scale = Math.max(1, minimum * 2, quantity);
  const width = 120;
  return (
    <svg
      className="gauge"
      viewBox={`0 0 ${width} 12`}
      width={width}
      height={12}
      role="img"
      aria-label={`${sku}: ${quantity} of minimum ${minimum}`}
    >
      <rect x={0} y={2} width={width} height={8} rx={3} className="chart-track" />
      <rect
        x={0}
        y={2}
        width={(Math.max(0, quantity) / scale) * width}
        height={8}
        rx={3}
        className="chart-bar tone-low"
      />
      <line
        x1={(minimum / scale) * width}
        x2={(minimum / scale) * width}
        y1={0}
        y2={12}
        className="gauge-min"
      />
    </svg>
  );
}
