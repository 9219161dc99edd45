// Baseline for bench/regex-bench.sh: refa regex -> DFA -> minimize.
// Usage: node refa-bench.mjs REGEX-FILE; prints the state count.
import { readFileSync } from "node:fs";
import { DFA, JS, NFA } from "refa";

const source = readFileSync(process.argv[2], "utf8").trim();
const t0 = process.hrtime.bigint();
const { expression, maxCharacter } = JS.Parser.fromLiteral({ source, flags: "" }).parse();
const nfa = NFA.fromRegex(expression, { maxCharacter });
const dfa = DFA.fromFA(nfa, new DFA.LimitedNodeFactory(1e8));
dfa.minimize();
const t1 = process.hrtime.bigint();
console.log(`states: ${dfa.countNodes()}\nseconds: ${Number(t1 - t0) / 1e9}`);
