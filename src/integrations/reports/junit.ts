import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { RecordTestRun } from '../../domain/build/index.js';
import { MalformedReportError } from './report-error.js';

// JUnit XML as test runners write it: a <testsuites> root holding <testsuite> elements, or a
// single <testsuite>, each with tests/failures/errors/skipped counts and <testcase> children.

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Counts and names are all that is read: entities (and DOCTYPE expansion) stay unprocessed.
  processEntities: false,
  parseAttributeValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
});

const count = z.coerce.number().int().min(0);
type Element = Record<string, unknown>;

interface Counts {
  tests: number;
  failed: number;
  skipped: number;
}

const children = (element: Element, name: string): Element[] => (Array.isArray(element[name]) ? (element[name] as Element[]) : []);

function attribute(element: Element, name: string, path: string): number | undefined {
  if (element[name] === undefined) return undefined;
  const parsed = count.safeParse(element[name]);
  if (!parsed.success) throw new MalformedReportError('JUnit XML', `${path}@${name} is not a count`, [{ path: `${path}@${name}`, message: 'must be a non-negative integer' }]);
  return parsed.data;
}

/** A suite's own counts when it declares them; otherwise what its test cases and nested suites add up to. */
function suiteCounts(suite: Element, path: string): Counts {
  const tests = attribute(suite, 'tests', path);
  if (tests !== undefined) {
    const failures = attribute(suite, 'failures', path) ?? 0;
    const errors = attribute(suite, 'errors', path) ?? 0;
    const skipped = (attribute(suite, 'skipped', path) ?? 0) + (attribute(suite, 'disabled', path) ?? 0);
    return { tests, failed: failures + errors, skipped };
  }
  const cases = children(suite, 'testcase');
  const own: Counts = {
    tests: cases.length,
    failed: cases.filter((c) => children(c, 'failure').length > 0 || children(c, 'error').length > 0).length,
    skipped: cases.filter((c) => children(c, 'skipped').length > 0).length,
  };
  return children(suite, 'testsuite').reduce((sum, nested, i) => add(sum, suiteCounts(nested, `${path}.testsuite[${i}]`)), own);
}

const add = (a: Counts, b: Counts): Counts => ({ tests: a.tests + b.tests, failed: a.failed + b.failed, skipped: a.skipped + b.skipped });

/** `<property name="coverage" value="87.5"/>` on the root or a suite: how some runners report it. */
function coverageProperty(elements: Element[]): number | undefined {
  for (const element of elements) {
    const properties = element.properties as Element | undefined;
    const property = properties && children(properties, 'property').find((p) => p.name === 'coverage');
    if (property) {
      const parsed = z.coerce.number().min(0).max(100).safeParse(property.value);
      if (!parsed.success) throw new MalformedReportError('JUnit XML', 'the coverage property must be a percentage from 0 to 100');
      return parsed.data;
    }
  }
  return undefined;
}

/**
 * A JUnit document as a test run. Skipped tests neither pass nor fail. Coverage is not part of
 * JUnit: it comes from `coverage` (the upload's ?coverage=), else a coverage property, else it was
 * not measured and is recorded as 0, which the deployment gate's 80% refuses.
 */
export function parseJunit(xml: string, coverage?: number): RecordTestRun {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new MalformedReportError('JUnit XML', `${msg} (line ${line}, column ${col})`);
  }
  const document = parser.parse(xml) as Element;
  let counts: Counts;
  let carriers: Element[];
  if (document.testsuites !== undefined) {
    const root = (typeof document.testsuites === 'object' && document.testsuites !== null ? document.testsuites : {}) as Element;
    const suites = children(root, 'testsuite');
    const declared = attribute(root, 'tests', 'testsuites');
    const summed = suites.reduce<Counts>((sum, suite, i) => add(sum, suiteCounts(suite, `testsuites.testsuite[${i}]`)), { tests: 0, failed: 0, skipped: 0 });
    counts = declared === undefined
      ? summed
      : { tests: declared, failed: (attribute(root, 'failures', 'testsuites') ?? 0) + (attribute(root, 'errors', 'testsuites') ?? 0), skipped: attribute(root, 'skipped', 'testsuites') ?? summed.skipped };
    carriers = [root, ...suites];
  } else if (Array.isArray(document.testsuite) && document.testsuite.length === 1) {
    const suite = document.testsuite[0] as Element;
    counts = suiteCounts(suite, 'testsuite');
    carriers = [suite];
  } else {
    throw new MalformedReportError('JUnit XML', 'the root element must be <testsuites> or a single <testsuite>');
  }
  const passed = counts.tests - counts.failed - counts.skipped;
  if (passed < 0) throw new MalformedReportError('JUnit XML', `it counts ${counts.tests} tests but ${counts.failed} failed and ${counts.skipped} skipped`);
  return { passed, failed: counts.failed, coverage: coverage ?? coverageProperty(carriers) ?? 0 };
}
