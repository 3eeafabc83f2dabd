import { Link } from 'react-router-dom';
import { can } from '../../../core/organizations/permissions';
import { useWorkspace } from '../../app/workspace-context';
import { humanize } from '../../lib/labels';
import { isLowStock } from '../inventory/stock';
import type { Membership } from '../organizations/use-me';
import { START_REQUEST_STATE } from '../work-orders/RequestForm';
import { BarChart } from './BarChart';
import {
  formatDuration,
  openByPriority,
  openByStatus,
  overdueCount,
  weekOverWeek,
  type WeekOverWeek,
  type WeeklyAverage,
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
      {data !== undefined && <Panels data={data} membership={membership} />}
    </div>
  );
}

function Panels({ data, membership }: { data: DashboardData; membership: Membership }) {
  const open = openByStatus(data.workOrders);
  const openTotal = open.reduce((sum, t) => sum + t.value, 0);
  const overdue = overdueCount(data.overdue, data.at);
  const assign = weekOverWeek(data.workOrders, 'assignedAt', data.at);
  const complete = weekOverWeek(data.workOrders, 'completedAt', data.at);
  const low = data.items.filter(isLowStock);

  if (data.workOrders.length === 0) {
    // Nothing to measure yet: zeros and empty charts would only hide the next step.
    return (
      <div className="dashboard-grid">
        <FirstSteps membership={membership} />
        <LowStockPanel low={low} stocked={data.items.length > 0} />
      </div>
    );
  }

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
          <WeekComparison
            title="Time to assign"
            done="assigned"
            figures={assign}
            testId="time-to-assign"
          />
          <WeekComparison
            title="Time to complete"
            done="completed"
            figures={complete}
            testId="time-to-complete"
          />
        </div>
      </section>
      <LowStockPanel low={low} stocked={data.items.length > 0} />
    </div>
  );
}

/** What an organization with no work orders does next: its first request, and its people. */
function FirstSteps({ membership }: { membership: Membership }) {
  const { role, organizationName } = membership;
  return (
    <section className="card wide" aria-labelledby="first-steps-heading" data-testid="first-steps">
      <h2 id="first-steps-heading">No work orders yet</h2>
      {can(role, 'workOrders.submit') ? (
        <p>
          The figures start with the first request.{' '}
          <Link to="/work-orders" state={START_REQUEST_STATE} data-testid="first-request">
            Submit the first request
          </Link>
        </p>
      ) : (
        <p>The figures start when the first request comes in.</p>
      )}
      {can(role, 'members.invite') ? (
        <p>
          Requests come from the people of {organizationName}.{' '}
          <Link to="/members" data-testid="invite-team">
            Invite your team
          </Link>{' '}
          so they can ask for repairs and do the work.
        </p>
      ) : (
        can(role, 'workOrders.assign') && (
          <p className="muted" data-testid="invite-team-hint">
            Requests come from the people of {organizationName}: ask an administrator to invite your
            team so they can ask for repairs and do the work.
          </p>
        )
      )}
    </section>
  );
}

function LowStockPanel({ low, stocked }: { low: DashboardData['items']; stocked: boolean }) {
  return (
    <section
      className={low.length > 0 ? 'card wide alert' : 'card wide'}
      aria-labelledby="low-stock-heading"
      data-testid="low-stock-panel"
    >
      <h2 id="low-stock-heading">{low.length > 0 ? `Low stock (${low.length})` : 'Low stock'}</h2>
      {low.length === 0 ? (
        <p className="muted">
          {stocked ? 'Every item is above its minimum.' : 'No items in the inventory yet.'}
        </p>
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
  );
}

/** One week's figure in words: its average and how many, or that nothing happened. */
const weekText = (week: WeeklyAverage, when: string): string =>
  week.averageMs === undefined || week.count === 0
    ? `none ${when}`
    : `${formatDuration(week.averageMs)} ${when} (${week.count})`;

function WeekComparison({
  title,
  done,
  figures,
  testId,
}: {
  title: string;
  /** What happened to the work orders measured, as in "none assigned". */
  done: string;
  figures: WeekOverWeek;
  testId: string;
}) {
  const { thisWeek, lastWeek } = figures;
  // An empty week reads "none", never a dash with a zero count beside it.
  if (thisWeek.count === 0 && lastWeek.count === 0) {
    return (
      <div className="week-comparison" data-testid={testId}>
        <h3>{title}</h3>
        <p className="muted">No work orders {done} in the last two weeks.</p>
      </div>
    );
  }
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
        <strong>{weekText(thisWeek, 'this week')}</strong> · {weekText(lastWeek, 'last week')} —{' '}
        {trend}
      </p>
      <BarChart
        title={`${title}, this week against last week`}
        bars={[
          { label: 'This week', value: thisWeek.averageMs ?? 0, tone: 'tone-this' },
          { label: 'Last week', value: lastWeek.averageMs ?? 0, tone: 'tone-last' },
        ]}
        format={(ms) => (ms === 0 ? 'none' : formatDuration(ms))}
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
