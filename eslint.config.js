// Type-aware lint (typescript-eslint): the promise mistakes the type checker lets through — a promise
// left floating, passed where a callback's result is ignored, or tested as a condition (an async API
// such as Librarian.cite used without await), and awaiting what is not a promise.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'index/**', 'data/**', '**/*.d.ts'] },
  {
    files: ['src/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // The words of a language are data (lang/*.json, read by src/text/lang.ts), not code: no Han character in a
  // string, template or regular expression of the answer stage or retrieval — reader-facing phrases included
  // (lang/*.json `messages`, shaped by src/answer/messages.ts). Comments and examples may quote Chinese.
  {
    files: ['src/answer/**/*.ts', 'src/retrieval/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/[\\u3400-\\u9fff\\uf900-\\ufaff]/]', message: 'Chinese words belong in lang/zh.json, not in code.' },
        { selector: 'Literal[regex.pattern=/[\\u3400-\\u9fff\\uf900-\\ufaff]/]', message: 'Chinese patterns belong in lang/zh.json, not in code.' },
        { selector: 'TemplateElement[value.raw=/[\\u3400-\\u9fff\\uf900-\\ufaff]/]', message: 'Chinese words belong in lang/zh.json, not in code.' },
      ],
    },
  },
);
