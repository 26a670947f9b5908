import { z } from 'zod';
import type { Finding, RecordSecurityScan, Severity } from '../../domain/build/index.js';
import { validationErrors } from '../../api/problem.js';
import { MalformedReportError } from './report-error.js';

// SARIF 2.1.0 as CodeQL, Trivy, Semgrep and Snyk write it: runs of a tool, each with results
// naming the rule they break; rules may carry a CVSS score as properties["security-severity"].

const propertiesSchema = z.object({ 'security-severity': z.union([z.string(), z.number()]).optional() }).optional();

const resultSchema = z.object({
  ruleId: z.string().min(1).optional(),
  ruleIndex: z.number().int().min(0).optional(),
  rule: z.object({ id: z.string().min(1).optional(), index: z.number().int().min(0).optional() }).optional(),
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  baselineState: z.enum(['new', 'unchanged', 'updated', 'absent']).optional(),
  suppressions: z.array(z.object({ status: z.enum(['accepted', 'underReview', 'rejected']).optional() })).optional(),
  properties: propertiesSchema,
});

const sarifSchema = z.object({
  version: z.literal('2.1.0'),
  runs: z.array(
    z.object({
      tool: z.object({
        driver: z.object({
          name: z.string(),
          rules: z.array(z.object({ id: z.string().min(1), properties: propertiesSchema })).optional(),
        }),
      }),
      results: z.array(resultSchema).optional(),
    }),
  ),
});

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** A document that says it is SARIF: its `version` is 2.1.0 or its `$schema` names SARIF. */
export function looksLikeSarif(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { version, $schema } = body as { version?: unknown; $schema?: unknown };
  return version === '2.1.0' || (typeof $schema === 'string' && /sarif/i.test($schema));
}

/** CVSS bands, as GitHub code scanning reads security-severity: ≥ 9 critical, ≥ 7 high, ≥ 4 medium. */
export function cvssSeverity(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** Without a score: an error is high, a warning (SARIF's default level) medium, a note low. */
function levelSeverity(level: z.infer<typeof resultSchema>['level']): Severity {
  if (level === 'error') return 'high';
  if (level === 'note' || level === 'none') return 'low';
  return 'medium';
}

function score(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'number' ? value : Number.parseFloat(value);
  return Number.isFinite(parsed) && parsed >= 0 && parsed <= 10 ? parsed : undefined;
}

/**
 * A SARIF log as a security scan: one finding per rule that has open results, at the highest
 * severity among them. Fixed (baseline "absent") and accepted-suppressed results are not open.
 */
export function parseSarif(body: unknown): RecordSecurityScan {
  const parsed = sarifSchema.safeParse(body);
  if (!parsed.success) throw new MalformedReportError('SARIF', 'it is not a SARIF 2.1.0 log', validationErrors(parsed.error.issues, 'body'));
  const findings = new Map<string, Severity>();
  for (const [r, run] of parsed.data.runs.entries()) {
    const rules = run.tool.driver.rules ?? [];
    for (const [i, result] of (run.results ?? []).entries()) {
      if (result.baselineState === 'absent') continue;
      if (result.suppressions?.some((s) => s.status === undefined || s.status === 'accepted')) continue;
      const index = result.ruleIndex ?? result.rule?.index;
      const rule = (result.ruleId ?? result.rule?.id) !== undefined ? rules.find((candidate) => candidate.id === (result.ruleId ?? result.rule?.id)) : index === undefined ? undefined : rules[index];
      const id = result.ruleId ?? result.rule?.id ?? rule?.id;
      if (id === undefined) throw new MalformedReportError('SARIF', `runs[${r}].results[${i}] names no rule`, [{ path: `body.runs.${r}.results.${i}.ruleId`, message: 'a result needs ruleId, rule.id or a ruleIndex into the driver rules' }]);
      const cvss = score(result.properties?.['security-severity']) ?? score(rule?.properties?.['security-severity']);
      const severity = cvss === undefined ? levelSeverity(result.level) : cvssSeverity(cvss);
      const key = id.slice(0, 200);
      const previous = findings.get(key);
      if (previous === undefined || RANK[severity] > RANK[previous]) findings.set(key, severity);
    }
  }
  return { findings: [...findings].map(([id, severity]): Finding => ({ id, severity })) };
}
