// Tokenizes text with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma as shipped inside the
// code-server install) using our grammar and VS Code's built-in YAML grammars, exactly as the editor does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPaths } from '../../vscode-host/launch.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function loadTokenizer() {
  const { codeServer } = hostPaths();
  const vscodeDir = join(codeServer, 'lib', 'vscode');
  const require = createRequire(join(vscodeDir, 'package.json'));
  const textmate = require('vscode-textmate');
  const oniguruma = require('vscode-oniguruma');
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const yamlDir = join(vscodeDir, 'extensions', 'yaml', 'syntaxes');
  const files = {
    'source.ansible': join(root, 'syntaxes', 'ansible.tmLanguage.json'),
    'source.yaml': join(yamlDir, 'yaml.tmLanguage.json'),
    'source.yaml.1.3': join(yamlDir, 'yaml-1.3.tmLanguage.json'),
    'source.yaml.1.2': join(yamlDir, 'yaml-1.2.tmLanguage.json'),
    'source.yaml.1.1': join(yamlDir, 'yaml-1.1.tmLanguage.json'),
    'source.yaml.1.0': join(yamlDir, 'yaml-1.0.tmLanguage.json'),
    'source.yaml.embedded': join(yamlDir, 'yaml-embedded.tmLanguage.json'),
  };
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (files[scope] ? textmate.parseRawGrammar(readFileSync(files[scope], 'utf8'), files[scope]) : null),
  });
  const grammar = await registry.loadGrammar('source.ansible');
  /** [{ text, scopes }] per line */
  return function tokenize(text) {
    let state = textmate.INITIAL;
    return text.split('\n').map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
    });
  };
}
