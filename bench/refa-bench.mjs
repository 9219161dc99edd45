// Baseline for bench/regex-bench.sh: refa regex -> DFA -> minimize.
// Usage: node refa-bench.mjs REGEX-FILE [REPEAT]; prints the state count, the
// seconds of the first construction and, with REPEAT > 1, the best of REPEAT
// constructions in the same process ("warm").
import { readFileSync } from "node:fs";
import { DFA, JS, NFA } from "refa";

const source = readFileSync(process.argv[2], "utf8").trim();
const repeat = Number(process.argv[3] ?? 1);
let first = 0, warm = Infinity, dfa = null;
for (let r = 0; r < Math.max(repeat, 1); r++) {
  const t0 = process.hrtime.bigint();
  const { expression, maxCharacter } = JS.Parser.fromLiteral({ source, flags: "" }).parse({ maxNodes: 1e8 });
  const nfa = NFA.fromRegex(expression, { maxCharacter }, {}, new NFA.LimitedNodeFactory(1e8));
  dfa = DFA.fromFA(nfa, new DFA.LimitedNodeFactory(1e8));
  dfa.minimize();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r === 0) first = s;
  warm = Math.min(warm, s);
}
console.log(`states: ${dfa.countNodes()}\nseconds: ${first}`);
if (repeat > 1) console.log(`warm: ${warm}`);
