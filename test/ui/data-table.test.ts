import { createElement } from 'react';
import i18n from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/renderer/src/api/client';
import { DataTable, type Column, type DataTableProps } from '../../src/renderer/src/components/DataTable';
import es from '../../src/renderer/src/i18n/es.json';

// The app's own Spanish texts, as the renderer loads them (its i18n module also touches the page, absent here).
beforeAll(async () => {
  await i18n.use(initReactI18next).init({ lng: 'es', resources: { es: { translation: es } } });
});

interface Row {
  id: number;
  name: string;
  sent: number;
}

const columns: Column<Row>[] = [
  { key: 'name', header: 'Nombre', cell: (r) => r.name },
  { key: 'sent', header: 'Enviados', cell: (r) => String(r.sent), className: 'num', headerClassName: 'num', testId: 'sent' },
];
const rows: Row[] = [
  { id: 1, name: 'Sede Centro', sent: 12 },
  { id: 2, name: 'Sede Sur', sent: 3 },
];

/** The markup React draws for a table, as the browser receives it. */
const draw = (props: Partial<DataTableProps<Row>>): string =>
  renderToStaticMarkup(createElement(DataTable<Row>, { columns, rows, rowKey: (r: Row) => r.id, ...props }));

describe('DataTable: one list part for every page', () => {
  it('names each cell by its column, lines figures up under their header, and keeps rows in order', () => {
    const html = draw({ empty: 'Sin datos', testId: 'sites', className: 'compact' });
    expect(html).toContain('<table class="table compact" data-testid="sites">');
    expect(html).toContain('<th scope="col">Nombre</th><th scope="col" class="num">Enviados</th>');
    expect(html).toContain('<td class="num" data-testid="sent">12</td>');
    expect(html.indexOf('Sede Centro')).toBeLessThan(html.indexOf('Sede Sur'));
    expect(html).toContain('<div class="card flush">');
    expect(html).not.toContain('Sin datos');
  });

  it('opens what belongs under a row across the whole table, right under that row', () => {
    const html = draw({ empty: 'Sin datos', below: (r) => [r.id === 1 && '¿Cancelar?', null], belowClassName: 'apt-action-row' });
    expect(html).toContain('<tr class="apt-action-row"><td colSpan="2">¿Cancelar?</td></tr>');
    expect(html.indexOf('¿Cancelar?')).toBeGreaterThan(html.indexOf('Sede Centro'));
    expect(html.indexOf('¿Cancelar?')).toBeLessThan(html.indexOf('Sede Sur'));
    expect(html.match(/apt-action-row/g)).toHaveLength(1);
  });

  it('says it is loading, and says the empty text when the list has nothing', () => {
    expect(draw({ empty: 'Sin datos', rows: undefined })).toContain('<p class="empty">Cargando…</p>');
    const empty = draw({ empty: 'Sin datos', rows: [] });
    expect(empty).toContain('<p class="empty">Sin datos</p>');
    expect(empty).toContain('<th scope="col">Nombre</th>');
  });

  it('without an empty text, draws no table until there are rows, but still shows a failure with its retry', () => {
    expect(draw({ rows: [] })).toBe('');
    expect(draw({ rows: undefined })).toBe('');
    const error: ApiError = Object.assign(new Error('No se pudo leer la lista.'), { code: 'internal' }) as ApiError;
    const failed = draw({ rows: undefined, error, onRetry: () => undefined });
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('No se pudo leer la lista.');
    expect(failed).toContain('Reintentar');
    expect(failed).not.toContain('<table');
  });

  it('sits in a card, in a bordered card inside another card, or bare beside a form', () => {
    expect(draw({ framed: 'inner' })).toContain('<div class="card flush inner">');
    const bare = draw({ framed: false });
    expect(bare).not.toContain('card');
    expect(bare).toContain('<div class="table-scroll">');
  });
});
