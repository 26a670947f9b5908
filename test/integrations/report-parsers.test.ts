import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJunit } from '../../src/integrations/reports/junit.js';
import { cvssSeverity, looksLikeSarif, parseSarif } from '../../src/integrations/reports/sarif.js';
import { MalformedReportError } from '../../src/integrations/reports/report-error.js';

const read = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'integrations', name), 'utf8');

describe('JUnit XML → test run', () => {
  it('takes the counts of <testsuites>; skipped tests neither pass nor fail', () => {
    expect(parseJunit(read('junit-passing.xml'), 91)).toEqual({ passed: 118, failed: 0, coverage: 91 });
  });

  it('counts failures and errors of a single <testsuite> as failed, and reads a coverage property', () => {
    expect(parseJunit(read('junit-single-suite-failures.xml'))).toEqual({ passed: 6, failed: 3, coverage: 84.5 });
  });

  it('counts test cases (nested suites too) when a suite declares no counts', () => {
    expect(parseJunit(read('junit-counted-cases.xml'))).toEqual({ passed: 2, failed: 2, coverage: 0 });
  });

  it('records coverage that was not measured as 0', () => {
    expect(parseJunit(read('junit-passing.xml')).coverage).toBe(0);
  });

  it.each([
    ['not XML', 'passed: 3', /cannot be read/],
    ['unclosed', '<testsuites><testsuite tests="1">', /line 1/],
    ['another root', '<report tests="3"/>', /root element/],
    ['a count that is not a number', '<testsuite tests="many"/>', /testsuite@tests is not a count/],
    ['more failures than tests', '<testsuite tests="1" failures="3"/>', /counts 1 tests but 3 failed/],
    ['coverage above 100', '<testsuite tests="1"><properties><property name="coverage" value="120"/></properties></testsuite>', /coverage property/],
  ])('refuses %s with the reason', (_what, xml, reason) => {
    expect(() => parseJunit(xml)).toThrow(MalformedReportError);
    expect(() => parseJunit(xml)).toThrow(reason);
  });

  it('does not expand entities declared in a DOCTYPE', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite name="&b;" tests="1"/>';
    expect(parseJunit(bomb)).toEqual({ passed: 1, failed: 0, coverage: 0 });
  });
});

describe('SARIF 2.1.0 → security scan', () => {
  it('maps CVSS scores to bands: ≥ 9 critical, ≥ 7 high, ≥ 4 medium, else low', () => {
    expect([10, 9, 8.9, 7, 6.9, 4, 3.9, 0].map(cvssSeverity)).toEqual(['critical', 'critical', 'high', 'high', 'medium', 'medium', 'low', 'low']);
  });

  it('gives one finding per rule with open results, from the rule security-severity, else from the level (CodeQL)', () => {
    expect(parseSarif(JSON.parse(read('sarif-codeql.sarif.json')))).toEqual({
      findings: [
        { id: 'js/sql-injection', severity: 'high' },
        { id: 'js/unused-local-variable', severity: 'low' },
      ],
    });
  });

  it('finds rules by ruleIndex when a result names no ruleId (Trivy)', () => {
    expect(parseSarif(JSON.parse(read('sarif-trivy.sarif.json'))).findings).toEqual([
      { id: 'CVE-2024-0001', severity: 'critical' },
      { id: 'CVE-2024-0002', severity: 'medium' },
      { id: 'CVE-2024-0003', severity: 'low' },
    ]);
  });

  it('reads a clean scan as no findings', () => {
    expect(parseSarif(JSON.parse(read('sarif-clean.sarif.json')))).toEqual({ findings: [] });
  });

  it('takes the worst severity of a rule across its results, and a result-level score over the rule one', () => {
    const log = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'r1', properties: { 'security-severity': '3.0' } }] } }, results: [{ ruleId: 'r1' }, { ruleId: 'r1', properties: { 'security-severity': 9.1 } }, { ruleId: 'r2', level: 'error' }] }],
    };
    expect(parseSarif(log).findings).toEqual([
      { id: 'r1', severity: 'critical' },
      { id: 'r2', severity: 'high' },
    ]);
  });

  it('refuses a log of another version, or a result that names no rule, with paths', () => {
    const wrong = () => parseSarif({ version: '2.0.0', runs: [] });
    expect(wrong).toThrow(/not a SARIF 2.1.0 log/);
    try {
      parseSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'error' }] }] });
      expect.unreachable();
    } catch (error) {
      expect((error as MalformedReportError).errors).toEqual([{ path: 'body.runs.0.results.0.ruleId', message: expect.any(String) }]);
    }
  });

  it('tells a SARIF log from the native scan body', () => {
    expect(looksLikeSarif({ version: '2.1.0', runs: [] })).toBe(true);
    expect(looksLikeSarif({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json' })).toBe(true);
    expect(looksLikeSarif({ findings: [] })).toBe(false);
  });
});
