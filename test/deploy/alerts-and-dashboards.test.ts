import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCommand } from './support/helm.ts';
import {
  alertRulesPath,
  alertTestsPath,
  dashboardQueries,
  metricNames,
  readAlertRules,
  readDashboards,
} from './support/promql.ts';

// Installed from Debian's `prometheus` package by deploy/local/ensure-tools.sh (which .ci/run calls).
const promtool = (args: string[]) => runCommand('promtool', args);

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ektola-promtool-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('alert rules', () => {
  it('when promtool checks the rule file, then every rule is valid', async () => {
    const result = await promtool(['check', 'rules', alertRulesPath]);
    expect(result.stdout + result.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code).toBe(0);
  });

  it('when promtool runs the unit tests, then every test passes', async () => {
    const result = await promtool(['test', 'rules', alertTestsPath]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('when the unit tests are read, then every alert has a case where it fires and one where it does not', () => {
    const tests = parse(readFileSync(alertTestsPath, 'utf8')) as {
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
    };
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    const alerts = readAlertRules().groups.flatMap((group) => group.rules.map((rule) => rule.alert).filter(Boolean));
    expect(alerts.length).toBeGreaterThanOrEqual(6);
    for (const alert of alerts) {
      const own = cases.filter((test) => test.alertname === alert);
      expect(
        own.some((test) => (test.exp_alerts ?? []).length > 0),
        `${alert} never fires in a test`,
      ).toBe(true);
      expect(
        own.some((test) => (test.exp_alerts ?? []).length === 0),
        `${alert} has no quiet case`,
      ).toBe(true);
    }
  });

  it('when the rules are read, then every alert carries a severity and a summary for the pager', () => {
    for (const group of readAlertRules().groups) {
      for (const rule of group.rules) {
        const labeled = rule as {
          alert?: string;
          labels?: Record<string, string>;
          annotations?: Record<string, string>;
        };
        expect(['warning', 'critical'], `${labeled.alert}`).toContain(labeled.labels?.severity);
        expect(labeled.annotations?.summary, `${labeled.alert}`).toBeTruthy();
      }
    }
  });

  it('when the alerts the issue asks for are looked up, then each exists', () => {
    const exprs = Object.fromEntries(
      readAlertRules().groups.flatMap((group) => group.rules.map((rule) => [rule.alert, rule.expr])),
    );
    expect(exprs.EktolaCircuitBreakerOpen).toContain('ektola_circuit_state');
    expect(exprs.EktolaSendFailureRatioHigh).toContain('status="FAILED"');
    expect(exprs.EktolaConsumerLagGrowing).toContain('ektola_jetstream_consumer_pending');
    expect(exprs.EktolaSchedulerNotSucceeding).toContain('ektola_scheduler_last_success_timestamp_seconds');
    expect(exprs.EktolaWebhookBadSignatures).toContain('result="bad_signature"');
    expect(exprs.EktolaWhatsAppAccountBlocked).toContain('ektola_account_blocked');
    expect(exprs.EktolaCallbackBacklogGrowing).toContain('ektola_callback_backlog');
  });
});

describe('Grafana dashboards', () => {
  it('when the dashboards are read, then each has a unique uid, a data-source variable and panels that use it', () => {
    const dashboards = readDashboards();
    expect(dashboards.map(({ file }) => file)).toEqual(['ektola-pipeline.json', 'ektola-sending.json']);
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(dashboards.length);
    for (const { file, dashboard } of dashboards) {
      expect(
        dashboard.templating?.list.find((variable) => variable.type === 'datasource'),
        file,
      ).toBeTruthy();
      const text = JSON.stringify(dashboard.panels);
      expect(text, file).not.toMatch(/"uid":"(?!\$\{datasource\})[^"]*"/);
    }
  });

  it('when every dashboard query is given to promtool as a recording rule, then each is valid PromQL', async () => {
    const queries = dashboardQueries().filter((query) => !query.expression.startsWith('label_values('));
    expect(queries.length).toBeGreaterThan(20);
    const rules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: queries.map((query, index) => ({
            record: `dashboard:query:${index}`,
            // Grafana's variables, as Grafana substitutes them.
            expr: query.expression.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', '.*'),
          })),
        },
      ],
    };
    const file = join(scratch, 'dashboard-queries.yaml');
    await writeFile(file, stringify(rules));
    const result = await promtool(['check', 'rules', file]);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it('when the panels are read, then they chart everything the issue lists', () => {
    const charted = new Set(dashboardQueries().flatMap((query) => metricNames(query.expression)));
    for (const metric of [
      'ektola_messages_total', // throughput by status
      'ektola_send_duration_seconds_bucket', // send latency percentiles
      'ektola_send_errors_total', // errors by Meta code
      'ektola_circuit_state', // breaker state
      'ektola_rate_limit_wait_seconds_bucket', // rate-limit waits
      'ektola_jetstream_consumer_pending', // consumer lag
      'ektola_run_messages', // run progress
      'ektola_webhook_requests_total', // webhook rate and rejections
      'ektola_scheduler_last_success_timestamp_seconds', // scheduler last success
      'ektola_callback_backlog', // callbacks waiting per endpoint
      'ektola_callback_deliveries_total', // callbacks by result
    ]) {
      expect(charted, metric).toContain(metric);
    }
  });
});

describe('metricNames', () => {
  it('when an expression has functions, matchers, ranges, groupings and Grafana variables, then only metric names remain', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, consumer) (rate(ektola_event_handle_seconds_bucket{namespace=~"$namespace", x="a_b"}[$__rate_interval]))) ' +
          '/ on (namespace) group_left (pod) ektola_other offset 5m > bool 1e3 and time() - max(last_seen) unless absent(gone)',
      ).sort(),
    ).toEqual(['ektola_event_handle_seconds_bucket', 'ektola_other', 'gone', 'last_seen']);
    expect(metricNames('label_values(ektola_events_published_total, namespace)')).toEqual([
      'ektola_events_published_total',
    ]);
  });
});
