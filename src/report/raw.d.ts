/** `import text from './file?raw'`: the file's text, inlined at build time (scripts/build.mjs; vite in tests). */
declare module '*?raw' {
  const text: string;
  export default text;
}
