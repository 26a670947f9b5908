import { afterEach, describe, expect, it } from 'vitest';
import { testplansProjection } from '../../../src/projections/read-models/testplans.js';
import { EventLog, given, type ProjectedDocuments } from './support/given-events.js';

let docs: ProjectedDocuments | null = null;
afterEach(async () => {
  await docs?.close();
  docs = null;
});

describe('the test plans read model', () => {
  it('given generated test cases, then one plan per feature with its cases and who generated them', async () => {
    const log = new EventLog();
    const cases = [{ id: 'TC-1', title: 'Verify: signs in', criterion: 'signs in' }];
    const generated = log.event('testplan-F1', 'TestCasesGenerated', { featureId: 'F1', requirementId: 'Q1', cases }, { actor: 'agent:testing-engineer' });
    docs = await given(testplansProjection, [log.event('feature-F1', 'FeatureCreated', { requirementId: 'Q1', name: 'Login', complexityPoints: 3, developer: 'bob' }), generated]);
    expect(await docs.all('testplans')).toEqual([
      { id: 'F1', featureId: 'F1', requirementId: 'Q1', cases, revision: 0, generatedAt: generated.metadata.at, generatedBy: 'agent:testing-engineer' },
    ]);
  });

  it('handles only generated test cases', () => {
    expect(testplansProjection.canHandle).toEqual(['TestCasesGenerated']);
  });
});
