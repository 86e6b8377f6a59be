// A lint rule that keeps the core's folders in their layers: a module may import its own layer or a lower one.
// The message path runs downwards (DESIGN.md): api → sources → intake → documents → outbox → channels → webhooks → store.
// Type-only imports are free: the contract's types may be named anywhere.
import { dirname, relative, resolve, sep } from 'node:path';

/** Layer of each folder (or root file) of src/main/core; higher may import lower. */
export const layers = {
  store: 0, secrets: 0, 'i18n.ts': 0, 'events.ts': 0, 'app-types.ts': 0, 'hash.ts': 0,
  settings: 1, audit: 1,
  metrics: 2, webhooks: 2,
  channels: 3,
  outbox: 4,
  scheduler: 5, campaigns: 5, documents: 5,
  intake: 6,
  sources: 7,
  demo: 8, api: 8,
  app: 9, 'app.ts': 9,
};

const core = resolve('src/main/core');
const partOf = (file) => {
  const rel = relative(core, file);
  return rel.startsWith('..') ? null : rel.split(sep)[0];
};

const typeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

export default {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        messages: {
          upward: "{{from}}/ (layer {{fromRank}}) imports {{to}}/ (layer {{toRank}}): a lower layer must not call up the message path. Move the shared piece down, or pass a function in.",
          unknown: "src/main/core/{{part}} has no layer: add it to the table in eslint/layers.js.",
        },
        schema: [],
      },
      create(context) {
        const from = partOf(context.physicalFilename);
        if (from === null) return {};
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string' || !spec.startsWith('.') || typeOnly(node)) return;
          const to = partOf(resolve(dirname(context.physicalFilename), spec));
          if (to === null || to === from) return;
          for (const part of [from, to]) {
            if (layers[part] === undefined && layers[`${part}.ts`] === undefined) {
              context.report({ node, messageId: 'unknown', data: { part } });
              return;
            }
          }
          const rank = (part) => layers[part] ?? layers[`${part}.ts`];
          if (rank(to) > rank(from)) {
            context.report({ node, messageId: 'upward', data: { from, to, fromRank: rank(from), toRank: rank(to) } });
          }
        };
        return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
      },
    },
  },
};
