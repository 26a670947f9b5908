// Worker threads do not inherit the TypeScript loader of tsx or vitest, so this plain module
// loads the commit worker through tsx's scoped import, the same way under `tsx`, vitest and
// any Node version the project supports.
import { tsImport } from 'tsx/esm/api';

await tsImport('./commit-worker.ts', import.meta.url);
