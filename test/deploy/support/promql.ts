import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './helm.ts';

export const alertRulesPath = join(repoRoot, 'deploy/prometheus/ektola-alerts.yaml');
export const alertTestsPath = join(repoRoot, 'deploy/prometheus/ektola-alerts.test.yaml');
export const dashboardsPath = join(repoRoot, 'deploy/grafana/dashboards');

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression (or a Grafana variable query such as label_values(m, l))
 * reads: what remains once strings, label matchers, ranges, grouping clauses, Grafana variables,
 * function names, keywords and numbers are set aside.
 */
export function metricNames(expression: string): string[] {
  const text = expression
    .replace(/\blabel_values\(\s*([^,)]+?)\s*(?:,[^)]*)?\)/g, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const end = match.index + match[0].length;
    if (/^\s*\(/.test(text.slice(end))) continue;
    if (keywords.has(match[0].toLowerCase())) continue;
    if (match.index > 0 && /[0-9.]/.test(text[match.index - 1]!)) continue;
    names.add(match[0]);
  }
  return [...names];
}

export interface Query {
  /** Where the query lives, e.g. "dashboard ektola-sending › Send latency percentiles". */
  source: string;
  expression: string;
}

interface AlertRules {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }>;
}

export function readAlertRules(): AlertRules {
  return parse(readFileSync(alertRulesPath, 'utf8')) as AlertRules;
}

export function alertQueries(): Query[] {
  return readAlertRules().groups.flatMap((group) =>
    group.rules.map((rule) => ({ source: `alert ${rule.alert ?? rule.record}`, expression: rule.expr })),
  );
}

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: Array<{ name: string; type: string; query?: string | { query?: string } }> };
}

export function readDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(dashboardsPath)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(dashboardsPath, file), 'utf8')) as Dashboard }));
}

export function dashboardQueries(): Query[] {
  const queries: Query[] = [];
  const visit = (uid: string, panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        if (target.expr) queries.push({ source: `dashboard ${uid} › ${panel.title}`, expression: target.expr });
      }
      visit(uid, panel.panels ?? []);
    }
  };
  for (const { dashboard } of readDashboards()) {
    visit(dashboard.uid, dashboard.panels);
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      if (query) queries.push({ source: `dashboard ${dashboard.uid} › variable ${variable.name}`, expression: query });
    }
  }
  return queries;
}
