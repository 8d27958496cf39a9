/** The fitted answer-or-refuse model (model/answer-decision.json) and the code that reads and fits it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerProbability, boostedProbability, DECISION_FEATURES, DECISION_MODEL_FILE, parseDecisionModel, SENTENCE_FEATURES, type DecisionFeatures } from '../../src/answer/decision.js';
import { ConfigError } from '../../src/core/errors.js';
import { LEAD_FEATURES } from '../../src/answer/leadSpans.js';
import { chooseThreshold, curve, fitBoosted, fitSoftmaxRanker, type Example } from '../../src/service/fitDecision.js';

describe('the committed model file', () => {
  const text = readFileSync(DECISION_MODEL_FILE, 'utf8');
  const model = parseDecisionModel(text);
  const file = JSON.parse(text) as Record<string, unknown> & { fit: { command: string; inputs: { file: string; sha256: string }[]; heldOut: string[] } };

  it('was fitted on the features the code computes, in the same order', () => {
    expect(model.features).toEqual([...DECISION_FEATURES]);
    expect(model.ranker?.features).toEqual([...SENTENCE_FEATURES]);
    expect(model.lead?.features).toEqual([...LEAD_FEATURES]);
  });

  it('holds the lead ranker, how it was fitted and its report figures; a lead fitted on other features is refused', () => {
    expect((file.leadFit as { command: string }).command).toMatch(/^lodestone eval --fit-lead/);
    expect(Object.keys(file.leadReport as object)).toEqual(['cmrc2018', 'drcd', 'xquad-zh', 'xquad-en']);
    const other = JSON.stringify({ ...file, lead: { ...model.lead, features: [...LEAD_FEATURES].reverse() } });
    expect(() => parseDecisionModel(other, 'x.json')).toThrow(/eval --fit-lead/);
  });

  it('records how it was fitted: the command, every input with its sha256, the held-out seed set, the report figures', () => {
    expect(file.fit.command).toMatch(/^lodestone eval --fit/);
    expect(file.fit.inputs.length).toBeGreaterThan(5);
    for (const input of file.fit.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.fit.inputs.map((i) => i.file)).not.toContain('eval/fresh8.jsonl');
    expect(file.fit.heldOut).toContain('fresh8.jsonl');
    expect(Object.keys(file.report as object)).toEqual(['cmrc2018', 'drcd', 'xquad-zh', 'xquad-en']);
  });

  it('answers a question its sentences fully cover with a clear best sentence, and refuses one they barely touch', () => {
    const base: DecisionFeatures = { coverage: 1, distinctive: 1, typedDistinctive: 1, answerType: 1, missingName: 0, topRelevance: 10, relevanceMargin: 1, pairCoverage: 1, rarePairCoverage: 1, fusedRatio: 1.2, fusedMargin: 0.1, citedRank: 0, english: 0, englishCoverage: 0 };
    const weak: DecisionFeatures = { ...base, coverage: 0.15, distinctive: 0, typedDistinctive: 0, answerType: 0, topRelevance: 0, relevanceMargin: 0.01, pairCoverage: 0.05, rarePairCoverage: 0 };
    expect(answerProbability(model, base)).toBeGreaterThan(model.threshold.zh);
    expect(answerProbability(model, weak)).toBeLessThan(model.threshold.zh);
  });

  it('a file fitted on other features is refused with the command that fixes it', () => {
    const other = JSON.stringify({ ...file, features: [...DECISION_FEATURES].reverse() });
    expect(() => parseDecisionModel(other, 'x.json')).toThrow(ConfigError);
    expect(() => parseDecisionModel(other, 'x.json')).toThrow(/eval --fit/);
    expect(() => parseDecisionModel('{', 'x.json')).toThrow(/not JSON/);
  });
});

describe('fitting', () => {
  // one informative feature (x0 > 0.5 ⇒ answer) and one noise feature
  const examples: Example[] = Array.from({ length: 200 }, (_, i) => {
    const x0 = (i % 20) / 20;
    return { x: [x0, (i * 7) % 3], y: x0 > 0.5 ? 1 : 0, w: 1, group: 'zh', nearMiss: x0 <= 0.5 && i % 2 === 0 };
  });

  it('boosted trees learn the split the labels follow', () => {
    const model = fitBoosted(examples, 2, { rounds: 30 });
    expect(boostedProbability(model, [0.9, 1])).toBeGreaterThan(0.9);
    expect(boostedProbability(model, [0.1, 1])).toBeLessThan(0.1);
  });

  it('the threshold is the lowest that refuses the target share of near misses', () => {
    const model = fitBoosted(examples, 2, { rounds: 30 });
    const points = curve(examples, examples.map((e) => boostedProbability(model, e.x)));
    const chosen = chooseThreshold(points, 0.9);
    expect(chosen.nearMissesRefused).toBeGreaterThanOrEqual(0.9);
    expect(points.filter((p) => p.threshold < chosen.threshold).every((p) => p.nearMissesRefused < 0.9)).toBe(true);
  });

  it('the ranker puts the answering sentence first', () => {
    const questions = Array.from({ length: 40 }, (_, q) => ({
      x: [[0.2, q % 2], [0.9, (q + 1) % 2], [0.4, 0]],
      y: [false, true, false],
      w: 1,
    }));
    const ranker = fitSoftmaxRanker(questions, 2);
    const score = (x: number[]) => x.reduce((s, v, j) => s + ranker.weights[j] * ((v - ranker.mean[j]) / ranker.scale[j]), 0);
    expect(score([0.9, 0])).toBeGreaterThan(score([0.4, 0]));
    expect(score([0.9, 0])).toBeGreaterThan(score([0.2, 1]));
  });
});
