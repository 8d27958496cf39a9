/** `lodestone check "<claim>"`: Librarian.findSources as text (or JSON), the terminal's "Find sources for this". */
import type { ClaimCheck, ClaimEvidence } from '../service/librarian-api.js';

const VERDICT = { supported: 'SUPPORTED', 'different-figures': 'DIFFERENT FIGURES', unsupported: 'NOT SUPPORTED' } as const;

const line = (e: ClaimEvidence) => `  [${e.passage.id}] ${e.passage.label}\n    ${e.quote.replace(/\s+/g, ' ')}`;

export function claimCheckText(check: ClaimCheck): string {
  const out: string[] = [];
  for (const f of check.findings) {
    out.push(`${VERDICT[f.verdict]}: ${f.claim}`);
    if (f.supporting.length) out.push(' supported by:', ...f.supporting.map(line));
    for (const c of f.conflicting) out.push(` the claim says ${c.claimFigures.join(', ')}; this passage says ${c.passageFigures.join(', ')}:`, line(c));
    if (f.closest.length) out.push(' no passage supports it; the closest:', ...f.closest.map(line));
  }
  if (check.unchecked) out.push(`(${check.unchecked} more sentence${check.unchecked === 1 ? '' : 's'} not checked)`);
  return out.join('\n');
}

export function claimCheckJson(check: ClaimCheck) {
  const evidence = (e: ClaimEvidence) => ({ id: e.passage.id, label: e.passage.label, title: e.title, quote: e.quote });
  return {
    text: check.text,
    verdict: check.verdict,
    findings: check.findings.map((f) => ({
      claim: f.claim,
      verdict: f.verdict,
      supporting: f.supporting.map(evidence),
      conflicting: f.conflicting.map((c) => ({ ...evidence(c), claimFigures: c.claimFigures, passageFigures: c.passageFigures })),
      closest: f.closest.map(evidence),
    })),
    unchecked: check.unchecked,
  };
}
